package io.rankops.workflows.pipeline;

import io.rankops.workflows.pipeline.records.GateVerdict;
import io.rankops.workflows.pipeline.records.RegisteredVersion;
import java.util.Map;

/**
 * What the status query answers.
 *
 * @param progress              0..1 within the current step (training reports per epoch)
 * @param approvalDeadlineMillis when the approval wait expires; null unless awaiting approval
 */
public record PipelineStatus(String runId, PipelineStep step, double progress, Map<String, Double> latestMetrics,
        GateVerdict gate, RegisteredVersion registered, ApprovalDecision decision, Long approvalDeadlineMillis,
        PipelineOutcome outcome) {
}
