package io.rankops.api.rollouts;

import io.rankops.workflows.rollout.CanaryDecision;
import io.rankops.workflows.rollout.CanaryVerdict;
import io.rankops.workflows.rollout.RolloutOutcome;
import io.rankops.workflows.rollout.RolloutStatus;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * GET /api/runs/{id}/rollout: the canary's traffic share, pause state and every step's decision.
 * Numbers the analysis could not compute (no step judged yet, nothing to compare) are null.
 */
public record RolloutView(String runId, String modelName, String candidateVersion, double trafficPercent,
        boolean paused, List<Decision> decisions, @Schema(nullable = true) RolloutOutcome outcome) {

    /**
     * One judged step. The "champion" numbers are the reference arm's: the champion, or the
     * baseline arm (buyers get the caller's own order) while no champion exists.
     */
    public record Decision(double trafficPercent, CanaryVerdict verdict, List<String> reasons,
            @Schema(nullable = true, description = "the reference arm's orders per user; null when nothing was compared")
            Double championOrdersPerUser,
            @Schema(nullable = true) Double candidateOrdersPerUser, long championUsers, long candidateUsers,
            @Schema(nullable = true, description = "one-sided z of candidate minus reference orders per user; null when"
                    + " the step was not judged or the statistic is not finite")
            Double zScore,
            long decidedAtMillis,
            @Schema(nullable = true, enumeration = {CanaryDecision.CHAMPION, CanaryDecision.BASELINE},
                    description = "which arm the candidate was compared with; null in decisions from before the"
                            + " baseline arm existed") String comparedWith,
            @Schema(nullable = true, description = "the champion version compared with; null for the baseline")
            String championVersion) {

        static Decision of(CanaryDecision d) {
            return new Decision(d.trafficPercent(), d.verdict(), d.reasons(), finite(d.championOrdersPerUser()),
                    finite(d.candidateOrdersPerUser()), d.championUsers(), d.candidateUsers(), finite(d.zScore()),
                    d.decidedAtMillis(), d.comparedWith(), d.championVersion());
        }
    }

    static RolloutView of(RolloutStatus status) {
        List<Decision> decisions = status.decisions() == null ? List.of()
                : status.decisions().stream().map(Decision::of).toList();
        return new RolloutView(status.runId(), status.modelName(), status.candidateVersion(), status.trafficPercent(),
                status.paused(), decisions, status.outcome());
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
