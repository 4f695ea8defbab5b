package io.rankops.ranker.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * One loaded model version: its ONNX Runtime session (thread-safe for {@code run}) and what its
 * metadata says. Reference-counted so a hot swap never closes a session a request is still using:
 * the serving slot holds one reference, every request holds one while it scores, and the native
 * session is closed when the last one is released.
 */
public final class RankingModel {

    private static final Logger LOG = Logger.getLogger(RankingModel.class);

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelVersionRef ref;
    private final FeatureSpec spec;
    private final List<String> tasks;
    private final String family;
    private final Map<String, String> metadata;
    private final Instant loadedAt;
    private final AtomicInteger references = new AtomicInteger(1);
    private final ItemSnapshot itemSnapshot;
    private final Set<String> allOutputs;
    private static final Set<String> SCORE_ONLY = Set.of("score");

    RankingModel(OrtEnvironment env, OrtSession session, ModelVersionRef ref, FeatureSpec spec, List<String> tasks,
            String family, Map<String, String> metadata, Instant loadedAt, ItemSnapshot itemSnapshot) {
        this.itemSnapshot = itemSnapshot;
        this.env = env;
        this.session = session;
        this.ref = ref;
        this.spec = spec;
        this.tasks = tasks;
        this.family = family;
        this.metadata = metadata;
        this.loadedAt = loadedAt;
        Set<String> outputs = new LinkedHashSet<>();
        outputs.add("score");
        tasks.forEach(task -> outputs.add("p_" + task));
        this.allOutputs = Set.copyOf(outputs);
    }

    public String version() {
        return ref.version();
    }

    public String source() {
        return ref.source();
    }

    public FeatureSpec spec() {
        return spec;
    }

    /** Task names in output order (click, cart, purchase — or click, purchase for 2-task models). */
    public List<String> tasks() {
        return tasks;
    }

    public String family() {
        return family;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    /** The item features served with this version, or null when callers send every feature per candidate. */
    public ItemSnapshot itemSnapshot() {
        return itemSnapshot;
    }

    /** Takes a reference for one request; false once the model has been retired and closed. */
    public boolean tryAcquire() {
        while (true) {
            int current = references.get();
            if (current <= 0) {
                return false;
            }
            if (references.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Gives a reference back; the last one closes the session. */
    public void release() {
        if (references.decrementAndGet() == 0) {
            try {
                session.close();
                LOG.infof("closed model version %s (%s)", ref.version(), ref.source());
            } catch (OrtException e) {
                LOG.warnf(e, "closing model version %s", ref.version());
            }
        }
    }

    /**
     * Scores one batch in a single session run, with every task's probability.
     *
     * @param cat row-major [rows, spec.categorical().size()] raw ids
     * @param num row-major [rows, spec.numerical().size()] raw values
     */
    public Scores score(long[] cat, float[] num, int rows) throws OrtException {
        return score(cat, num, rows, null, true);
    }

    /**
     * As {@link #score(long[], float[], int)}; {@code options} (may be null) lets another thread
     * terminate the run ({@code setTerminate}) when the request's deadline passes. Without
     * {@code withProbabilities} ONNX Runtime fetches the fused score alone and the task
     * probabilities in the answer are empty.
     */
    public Scores score(long[] cat, float[] num, int rows, OrtSession.RunOptions options, boolean withProbabilities)
            throws OrtException {
        long[] catShape = {rows, spec.categorical().size()};
        long[] numShape = {rows, spec.numerical().size()};
        Set<String> outputs = withProbabilities ? allOutputs : SCORE_ONLY;
        // Direct buffers are handed to ONNX Runtime as they are; heap arrays would be copied into new ones.
        try (OnnxTensor catTensor = OnnxTensor.createTensor(env, direct(cat), catShape);
                OnnxTensor numTensor = OnnxTensor.createTensor(env, direct(num), numShape);
                OrtSession.Result result = options == null
                        ? session.run(Map.of("cat_features", catTensor, "num_features", numTensor), outputs)
                        : session.run(Map.of("cat_features", catTensor, "num_features", numTensor), outputs, options)) {
            float[] score = floats(result, "score");
            Map<String, float[]> probabilities = new LinkedHashMap<>();
            if (withProbabilities) {
                for (String task : tasks) {
                    probabilities.put(task, floats(result, "p_" + task));
                }
            }
            return new Scores(score, probabilities);
        }
    }

    private static LongBuffer direct(long[] values) {
        LongBuffer buffer = ByteBuffer.allocateDirect(values.length * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
        buffer.put(values).flip();
        return buffer;
    }

    private static FloatBuffer direct(float[] values) {
        FloatBuffer buffer = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        buffer.put(values).flip();
        return buffer;
    }

    private static float[] floats(OrtSession.Result result, String output) throws OrtException {
        OnnxValue value = result.get(output).orElseThrow(() -> new IllegalStateException("model returned no " + output));
        FloatBuffer buffer = ((OnnxTensor) value).getFloatBuffer();
        float[] out = new float[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    /** Per-row outputs: the fused score and each task's probability (keyed by task name). */
    public record Scores(float[] score, Map<String, float[]> probabilities) {
    }
}
