package io.rankops.workflows.pipeline.records;

import java.util.List;

/** Score the exported candidate and, if there is one, the current champion on the same test split. */
public record EvaluationRequest(String runId, DatasetManifest dataset, String candidateOnnxUri,
        String championOnnxUri, List<Integer> ks, String mlflowRunId) {
}
