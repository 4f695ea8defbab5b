package io.rankops.workflows.pipeline.records;

import java.util.List;

/**
 * @param reportUri s3:// URI of the full JSON report
 * @param champion  null when there is no champion yet
 * @param fusion    the score fusion chosen on validation: "additive" or "multiplicative"
 * @param deadTasks tasks whose predictions carry no signal (AUC about 0.5 or constant)
 */
public record EvaluationReport(String reportUri, ModelScores candidate, ModelScores champion,
        String fusion, List<String> deadTasks) {
}
