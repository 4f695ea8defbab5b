package io.rankops.workflows.rollout;

import java.util.List;

public record RolloutResult(String runId, String candidateVersion, RolloutOutcome outcome, String reason,
        double maxTrafficPercent, List<CanaryDecision> decisions) {
}
