package io.rankops.api.approvals;

import io.rankops.api.runs.RunViews.RunSummary;
import io.rankops.workflows.pipeline.GateVerdict;
import io.rankops.workflows.pipeline.ModelScores;
import io.rankops.workflows.pipeline.RegisteredVersion;

/**
 * A candidate waiting for a release manager: what was registered, the gate's reasoning and
 * the offline scores of candidate and champion on the same test split.
 *
 * @param champion         null when there is no champion yet
 * @param deadlineMillis   when the run expires unless someone decides
 */
public record PendingApproval(RunSummary run, RegisteredVersion registered, GateVerdict gate, ModelScores candidate,
        ModelScores champion, String fusion, Long deadlineMillis) {
}
