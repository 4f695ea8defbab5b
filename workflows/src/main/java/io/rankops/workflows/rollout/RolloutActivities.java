package io.rankops.workflows.rollout;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The ranker's traffic controls and metrics, and the registry's aliases; served by services/worker. */
@ActivityInterface
public interface RolloutActivities {

    /**
     * Idempotent: sets the candidate's share of users (sticky by user) to exactly this percent.
     * Above 0 % it first points alias {@code candidate} at the version (an approved version's
     * canary is the only way to that alias).
     */
    @ActivityMethod(name = "set_candidate_traffic")
    void setCandidateTraffic(String candidateVersion, double percent);

    @ActivityMethod(name = "read_arm_metrics")
    ArmSnapshot readArmMetrics();

    /**
     * Moves alias {@code champion} to the version; the ranker then serves it to everyone. Called
     * only by rollouts from before the registry's settle_version (kept so their histories replay).
     */
    @ActivityMethod(name = "promote_to_champion")
    void promoteToChampion(String modelName, String version);
}
