package io.rankops.workflows.pipeline;

import java.util.Map;

/** Register the run's ONNX artifact as a model version; idempotent per runId. */
public record RegistrationRequest(String runId, String modelName, String onnxUri, String mlflowRunId,
        String datasetId, String modelFamily, Map<String, Double> metrics) {
}
