package io.rankops.workflows.pipeline;

import io.rankops.workflows.rollout.RolloutPolicy;
import java.time.Duration;
import java.util.List;

/**
 * Everything a run needs, fixed when it starts (workflow id = runId).
 *
 * @param modelName       the MLflow registered model the version joins; its aliases are what the ranker serves
 * @param trigger         "ui", "schedule" or "api"
 * @param regions         buyer regions to train on; empty means all
 * @param device          "auto", "cpu" or "gpu"
 * @param approvalTimeout how long a release manager has to decide before the run expires
 * @param rollout         the canary rollout that follows approval; null ends the run at approval
 *                        (the version stays alias {@code candidate}, ready for a rollout later)
 */
public record PipelineRequest(String runId, String triggeredBy, String trigger, String modelName, String modelFamily,
        boolean regionMask, DataWindow window, List<String> regions, TrainingParams params,
        GatePolicy gate, String device, Duration approvalTimeout, RolloutPolicy rollout) {
}
