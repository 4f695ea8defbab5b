package io.rankops.api.approvals;

import io.rankops.api.runs.RunViews.RunSummary;
import io.rankops.workflows.pipeline.records.GateVerdict;
import io.rankops.workflows.pipeline.records.ModelScores;
import io.rankops.workflows.pipeline.records.RegisteredVersion;
import io.rankops.api.policy.PolicyFloor;
import io.rankops.workflows.pipeline.GatePolicy;
import java.util.List;

/**
 * A candidate waiting for a release manager: what was registered, the gate's reasoning and
 * the offline scores of candidate and champion on the same test split.
 *
 * @param champion         null when there is no champion yet
 * @param deadlineMillis   when the run expires unless someone decides
 * @param plan             what Approve will do; null when it cannot be told (MLflow unreachable)
 */
public record PendingApproval(RunSummary run, RegisteredVersion registered, GateVerdict gate, ModelScores candidate,
        ModelScores champion, String fusion, Long deadlineMillis, ApprovalPlan plan) {

    /**
     * @param action           CANARY (the run asked for a rollout) or PROMOTE (approval makes it champion at once)
     * @param stepsPercent     the canary's traffic steps; null for PROMOTE
     * @param bakeSeconds      each step's bake; null for PROMOTE
     * @param minUsersPerArm   users each arm needs before a step is judged; null for PROMOTE
     * @param championVersion  the champion now, which the canary is judged against (or which is replaced);
     *                         null when none exists: the canary is judged against the baseline arm
     * @param candidateVersion the version awaiting approval
     * @param gate             the gate the run was judged by (its own, at least the floor)
     * @param floor            the platform's policy floor in force: approval is refused while the run is looser
     */
    public record ApprovalPlan(String action, List<Double> stepsPercent, Long bakeSeconds, Long minUsersPerArm,
            String championVersion, String candidateVersion, GatePolicy gate, PolicyFloor floor) {

        public static final String CANARY = "CANARY";
        public static final String PROMOTE = "PROMOTE";
    }
}
