package io.rankops.workflows.probe;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;

/** Fails the build when a change to the workflow code no longer replays a committed history. */
class HealthProbeWorkflowReplayTest {

    @Test
    void replaysCommittedHistory() throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/health-probe.json", HealthProbeWorkflowImpl.class);
    }
}
