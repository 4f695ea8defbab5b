package io.rankops.workflows.pipeline.records;

import java.util.Map;

/**
 * @param onnxUri            s3:// URI of the exported model, the artifact that will be served
 * @param validationMetrics  metric name -> value at the best epoch (e.g. "wr@10", "auc_click")
 * @param resumedFromEpoch   the checkpointed epoch the successful attempt resumed from; 0 = trained from scratch
 * @param onnxSha256         hex SHA-256 of the ONNX file as the trainer uploaded it; registration refuses an
 *                           artifact whose bytes no longer match (null in histories from before this field)
 */
public record TrainingResult(String runId, String mlflowRunId, String onnxUri, String device,
        int epochsTrained, int bestEpoch, Map<String, Double> validationMetrics, int resumedFromEpoch,
        String onnxSha256) {
}
