package io.rankops.workflows.pipeline;

import java.util.Map;

/**
 * @param onnxUri            s3:// URI of the exported model, the artifact that will be served
 * @param validationMetrics  metric name -> value at the best epoch (e.g. "wr@10", "auc_click")
 */
public record TrainingResult(String runId, String mlflowRunId, String onnxUri, String device,
        int epochsTrained, int bestEpoch, Map<String, Double> validationMetrics) {
}
