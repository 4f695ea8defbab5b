package io.rankops.worker.registry;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OnnxArtifactCheckTest {

    @Test
    void acceptsAModelProtoWithAGraph() throws Exception {
        assertNull(OnnxArtifactCheck.modelProtoProblem(new ByteArrayInputStream(OnnxBytes.minimalModel())));
    }

    @Test
    void refusesATruncatedModel() throws Exception {
        byte[] model = OnnxBytes.minimalModel();
        String problem = OnnxArtifactCheck.modelProtoProblem(
                new ByteArrayInputStream(Arrays.copyOf(model, model.length - 1)));
        assertNotNull(problem);
        assertTrue(problem.contains("truncated"), problem);
    }

    @Test
    void refusesTextAndModelsWithoutAGraph() throws Exception {
        assertNotNull(OnnxArtifactCheck.modelProtoProblem(new ByteArrayInputStream(
                "{\"not\": \"a model\"}".getBytes(StandardCharsets.UTF_8))));
        assertNotNull(OnnxArtifactCheck.modelProtoProblem(new ByteArrayInputStream(new byte[] {0x08, 0x08})));
    }
}
