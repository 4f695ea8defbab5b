package io.rankops.ranker.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankops.ranker.RankerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Turns artifact bytes into a {@link RankingModel}, refusing anything that does not meet the ONNX
 * contract of docs/models.md — before it can take traffic. A one-row batch is run as a smoke test,
 * so a graph that loads but cannot execute is refused too.
 */
@ApplicationScoped
public class ModelLoader {

    private final ObjectMapper json;
    private final int intraOpThreads;

    public ModelLoader(ObjectMapper json, RankerSettings settings) {
        this.json = json;
        this.intraOpThreads = settings.onnxIntraOpThreads();
    }

    public RankingModel load(byte[] onnx, ModelVersionRef ref) throws BadModelException {
        return load(onnx, null, ref);
    }

    /**
     * @param itemSnapshot the bytes of the version's item feature snapshot ({@code ref.itemSnapshotUri()}),
     *     or null for a version registered without one
     */
    public RankingModel load(byte[] onnx, byte[] itemSnapshot, ModelVersionRef ref) throws BadModelException {
        checkDigest(onnx, ref);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // Concurrency comes from parallel requests, each run on one thread; sequential execution
            // (the graph is a chain of small MLPs), memory-pattern planning (reused across runs of
            // the same shape) and full graph optimisation. services/ranker/README.md records the choice.
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setMemoryPatternOptimization(true);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(onnx, options);
        } catch (OrtException e) {
            throw new BadModelException("ONNX Runtime cannot load the artifact: " + e.getMessage(), e);
        }
        try {
            RankingModel model = describe(env, session, ref, itemSnapshot);
            smokeTest(model);
            return model;
        } catch (BadModelException | RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    /**
     * Bytes that differ from what registration checked were changed in storage afterwards: refused
     * even when they would load, since the ranker would serve a model nobody evaluated.
     */
    static void checkDigest(byte[] onnx, ModelVersionRef ref) throws BadModelException {
        if (ref.sha256() == null) {
            return;
        }
        String actual;
        try {
            actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onnx));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        if (!actual.equalsIgnoreCase(ref.sha256().trim())) {
            throw new BadModelException("artifact " + ref.source() + " has sha256 " + actual + " but version "
                    + ref.version() + " was registered with " + ModelVersionRef.SHA256_TAG + " " + ref.sha256()
                    + ": it changed after registration");
        }
    }

    private RankingModel describe(OrtEnvironment env, OrtSession session, ModelVersionRef ref, byte[] itemSnapshot)
            throws BadModelException {
        Map<String, String> metadata;
        try {
            metadata = Map.copyOf(session.getMetadata().getCustomMetadata());
        } catch (OrtException e) {
            throw new BadModelException("cannot read the model's metadata: " + e.getMessage(), e);
        }
        String specJson = metadata.get("rankops.feature_spec");
        if (specJson == null) {
            throw new BadModelException("metadata has no rankops.feature_spec");
        }
        FeatureSpec spec = FeatureSpec.parse(specJson, json);
        List<String> tasks;
        try {
            tasks = List.copyOf(json.readValue(metadata.getOrDefault("rankops.tasks", "[]"), new TypeReference<List<String>>() {
            }));
        } catch (Exception e) {
            throw new BadModelException("rankops.tasks is not a JSON list of names: " + e.getMessage(), e);
        }
        if (tasks.isEmpty()) {
            throw new BadModelException("metadata has no rankops.tasks");
        }
        try {
            checkInput(session.getInputInfo(), "cat_features", OnnxJavaType.INT64, spec.categorical().size());
            checkInput(session.getInputInfo(), "num_features", OnnxJavaType.FLOAT, spec.numerical().size());
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            if (!outputs.containsKey("score")) {
                throw new BadModelException("the model has no 'score' output");
            }
            for (String task : tasks) {
                if (!outputs.containsKey("p_" + task)) {
                    throw new BadModelException("rankops.tasks lists '" + task + "' but the model has no 'p_" + task + "' output");
                }
            }
        } catch (OrtException e) {
            throw new BadModelException("cannot read the model's inputs and outputs: " + e.getMessage(), e);
        }
        ItemSnapshot items = itemSnapshot == null ? null
                : ItemSnapshot.load(itemSnapshot, ref.itemSnapshotUri(), ref.itemSnapshotSha256(), spec);
        return new RankingModel(env, session, ref, spec, tasks, metadata.getOrDefault("rankops.model_family", "unknown"),
                metadata, Instant.now(), items);
    }

    private static void checkInput(Map<String, NodeInfo> inputs, String name, OnnxJavaType type, int columns)
            throws BadModelException {
        NodeInfo node = inputs.get(name);
        if (node == null || !(node.getInfo() instanceof TensorInfo info)) {
            throw new BadModelException("the model has no tensor input '" + name + "' (inputs: " + inputs.keySet() + ")");
        }
        if (info.type != type) {
            throw new BadModelException("input '" + name + "' is " + info.type + ", expected " + type);
        }
        long[] shape = info.getShape();
        if (shape.length != 2 || (shape[1] >= 0 && shape[1] != columns)) {
            throw new BadModelException("input '" + name + "' has shape " + java.util.Arrays.toString(shape)
                    + " but the feature spec has " + columns + " columns");
        }
    }

    private static void smokeTest(RankingModel model) throws BadModelException {
        try {
            RankingModel.Scores scores = model.score(new long[model.spec().categorical().size()],
                    new float[model.spec().numerical().size()], 1);
            if (scores.score().length != 1) {
                throw new BadModelException("a one-row batch gave " + scores.score().length + " scores");
            }
        } catch (OrtException | RuntimeException e) {
            throw new BadModelException("the model fails on a one-row batch: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException ignored) {
            // the session is being thrown away after a refused load; nothing else holds it
        }
    }
}
