package io.rankops.workflows.pipeline.records;

import java.util.List;
import java.util.Map;

/**
 * Score the exported candidate and, if there is one, the current champion on the same test split.
 *
 * @param engagementWeights click / cart / order -> weight in pre-rank WR@K; null: orders only
 */
public record EvaluationRequest(String runId, DatasetManifest dataset, String candidateOnnxUri,
        String championOnnxUri, List<Integer> ks, String mlflowRunId, Map<String, Double> engagementWeights) {

    public EvaluationRequest(String runId, DatasetManifest dataset, String candidateOnnxUri, String championOnnxUri,
            List<Integer> ks, String mlflowRunId) {
        this(runId, dataset, candidateOnnxUri, championOnnxUri, ks, mlflowRunId, null);
    }
}
