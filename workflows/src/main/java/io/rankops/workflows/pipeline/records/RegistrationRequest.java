package io.rankops.workflows.pipeline.records;

import java.util.Map;

/**
 * Register the run's ONNX artifact as a model version; idempotent per runId.
 *
 * @param onnxSha256 the digest training reported for {@code onnxUri}; registration recomputes it from the
 *                   object store and refuses a mismatch. Null (runs from before the field) skips the comparison.
 */
public record RegistrationRequest(String runId, String modelName, String onnxUri, String mlflowRunId,
        String datasetId, String modelFamily, Map<String, Double> metrics, String onnxSha256) {
}
