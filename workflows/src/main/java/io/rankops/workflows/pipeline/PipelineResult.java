package io.rankops.workflows.pipeline;

import io.rankops.workflows.pipeline.records.DatasetManifest;
import io.rankops.workflows.pipeline.records.EvaluationReport;
import io.rankops.workflows.pipeline.records.GateVerdict;
import io.rankops.workflows.pipeline.records.RegisteredVersion;
import io.rankops.workflows.pipeline.records.TrainingResult;
import io.rankops.workflows.rollout.RolloutResult;

/** How a run ended and what it produced; fields after the failing step are null. */
public record PipelineResult(String runId, PipelineOutcome outcome, String reason, DatasetManifest dataset,
        TrainingResult training, EvaluationReport evaluation, GateVerdict gate, RegisteredVersion registered,
        ApprovalDecision decision, RolloutResult rollout) {
}
