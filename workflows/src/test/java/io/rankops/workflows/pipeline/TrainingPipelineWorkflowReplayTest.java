package io.rankops.workflows.pipeline;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;

/** Fails the build when a change to the pipeline no longer replays a committed history. */
class TrainingPipelineWorkflowReplayTest {

    @Test
    void replaysAnApprovedRun() throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/training-pipeline-approved.json", TrainingPipelineWorkflowImpl.class);
    }
}
