package io.rankops.workflows.pipeline.records;

import java.util.List;

/**
 * The gate's decision and every check behind it, in words a person reads in the UI.
 *
 * @param championWeightedRecall null when there is no champion to compare with
 * @param failures               the checks that failed; empty exactly when {@code passed}
 * @param passedChecks           the checks that held
 * @param metric                 the WR@K judged ({@code GateMetric} wire name); null in verdicts of
 *                               runs from before the choice, which judged the displayed list
 */
public record GateVerdict(boolean passed, int k, double candidateWeightedRecall, Double championWeightedRecall,
        List<String> failures, List<String> passedChecks, String metric) {
}
