package io.rankops.workflows.rollout;

import java.util.List;

/** The status query: where the rollout is and every decision so far. */
public record RolloutStatus(String runId, String modelName, String candidateVersion, double trafficPercent, boolean paused,
        List<CanaryDecision> decisions, RolloutOutcome outcome) {
}
