package io.rankops.workflows.rollout;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;

/** Fails the build when a change to the rollout no longer replays a committed history. */
class CanaryRolloutWorkflowReplayTest {

    @Test
    void replaysAPromotedRollout() throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/canary-rollout-promoted.json", CanaryRolloutWorkflowImpl.class);
    }

    /** With no champion: judged against the baseline arm, promoted through settle_version. */
    @Test
    void replaysARolloutJudgedAgainstTheBaseline() throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/canary-rollout-vs-baseline.json", CanaryRolloutWorkflowImpl.class);
    }
}
