package io.rankops.ranker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankops.ranker.RankerSettings;
import io.rankops.ranker.support.ParityVectors;
import io.rankops.ranker.support.StackFixture;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Java ONNX Runtime gives the scores Python ONNX Runtime gave for the committed vectors. */
class OnnxParityTest {

    private static final double TOLERANCE = 1e-5;

    private final ModelLoader loader = new ModelLoader(new ObjectMapper(), settings());

    @Test
    void javaScoresMatchPythonOnnxRuntime() throws Exception {
        RankingModel model = loader.load(StackFixture.resource("shared_bottom.onnx"), new ModelVersionRef("1", "test"));
        try {
            assertEquals(List.of("click", "cart", "purchase"), model.tasks());
            assertEquals("shared_bottom", model.family());
            List<ParityVectors.Case> cases = ParityVectors.load("shared_bottom.parity.json").cases();
            FeatureSpec spec = model.spec();
            int rows = cases.size();
            long[] cat = new long[rows * spec.categorical().size()];
            float[] num = new float[rows * spec.numerical().size()];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < spec.categorical().size(); c++) {
                    cat[r * spec.categorical().size() + c] = cases.get(r).features().get(spec.categorical().get(c)).longValue();
                }
                for (int c = 0; c < spec.numerical().size(); c++) {
                    num[r * spec.numerical().size() + c] = cases.get(r).features().get(spec.numerical().get(c)).floatValue();
                }
            }

            RankingModel.Scores scores = model.score(cat, num, rows);

            for (int r = 0; r < rows; r++) {
                ParityVectors.Case expected = cases.get(r);
                assertEquals(expected.expected().get("score"), scores.score()[r], TOLERANCE, "score of row " + r);
                for (String task : model.tasks()) {
                    assertEquals(expected.expected().get("p_" + task), scores.probabilities().get(task)[r], TOLERANCE,
                            "p_" + task + " of row " + r);
                }
            }
        } finally {
            model.release();
        }
    }

    @Test
    void corruptArtifactIsRefused() {
        byte[] onnx = StackFixture.resource("shared_bottom.onnx");
        byte[] truncated = Arrays.copyOf(onnx, onnx.length / 2);

        BadModelException refused = assertThrows(BadModelException.class,
                () -> loader.load(truncated, new ModelVersionRef("9", "test")));
        assertTrue(refused.getMessage().contains("ONNX Runtime cannot load"), refused.getMessage());
    }

    @Test
    void artifactWhoseBytesDifferFromTheRegisteredDigestIsRefused() throws Exception {
        byte[] onnx = StackFixture.resource("shared_bottom.onnx");
        String registered = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onnx));
        String other = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[] {1}));

        BadModelException refused = assertThrows(BadModelException.class,
                () -> loader.load(onnx, new ModelVersionRef("9", "s3://rankops/models/x/model.onnx", other)));
        assertTrue(refused.getMessage().contains("sha256") && refused.getMessage().contains("s3://rankops/models/x/model.onnx"),
                refused.getMessage());

        RankingModel model = loader.load(onnx, new ModelVersionRef("9", "test", registered.toUpperCase()));
        model.release();
    }

    @Test
    void artifactWithoutTheRankerMetadataIsRefused() {
        BadModelException refused = assertThrows(BadModelException.class,
                () -> loader.load("not an onnx model".getBytes(), new ModelVersionRef("9", "test")));
        assertTrue(refused.getMessage().length() > 10);
    }

    @Test
    void releasingTheLastReferenceClosesTheSession() throws Exception {
        RankingModel model = loader.load(StackFixture.resource("shared_bottom.onnx"), new ModelVersionRef("1", "test"));
        assertTrue(model.tryAcquire(), "a request can take a reference while the slot holds one");
        model.release(); // the slot retires it; the request still holds its reference
        RankingModel.Scores stillWorks = model.score(new long[model.spec().categorical().size()],
                new float[model.spec().numerical().size()], 1);
        assertEquals(1, stillWorks.score().length);
        model.release();
        assertTrue(!model.tryAcquire(), "a closed model hands out no references");
    }

    /** The loader reads one setting; a proxy keeps this test out of every other setting's way. */
    private static RankerSettings settings() {
        return (RankerSettings) java.lang.reflect.Proxy.newProxyInstance(RankerSettings.class.getClassLoader(),
                new Class<?>[] {RankerSettings.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "onnxIntraOpThreads" -> 1;
                    default -> throw new UnsupportedOperationException("ModelLoader reads " + method.getName());
                });
    }
}
