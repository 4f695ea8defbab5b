package io.rankops.workflows.pipeline;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;

/** Fails the build when a change to the pipeline no longer replays a committed history. */
class TrainingPipelineWorkflowReplayTest {

    /** A run from before the canary existed (Workflow.getVersion keeps it replaying). */
    @Test
    void replaysAnApprovedRun() throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/training-pipeline-approved.json", TrainingPipelineWorkflowImpl.class);
    }

    /** A run from after the canary change: approval, then the rollout child, then promotion. */
    @Test
    void replaysAPromotedRun() throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/training-pipeline-promoted.json", TrainingPipelineWorkflowImpl.class);
    }
}
