package io.rankops.workflows.schedule;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;

/** Fails the build when a change to the workflow code no longer replays a committed history. */
class ScheduledRunWorkflowReplayTest {

    @Test
    void replaysAScheduledStart() throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/scheduled-run.json", ScheduledRunWorkflowImpl.class);
    }
}
