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

    /** After the alias lifecycle: approval without a canary settles the version as champion. */
    @Test
    void replaysARunApprovedStraightToChampion() throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/training-pipeline-approved-champion.json", TrainingPipelineWorkflowImpl.class);
    }

    /** After the alias lifecycle: the canary promotes through the registry's settle_version. */
    @Test
    void replaysARunPromotedThroughASettlingCanary() throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/training-pipeline-promoted-settled.json", TrainingPipelineWorkflowImpl.class);
    }

    /** The first model of a registered model: its canary is judged against the baseline arm. */
    @Test
    void replaysTheFirstModelsPromotion() throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/training-pipeline-first-champion.json", TrainingPipelineWorkflowImpl.class);
    }
}
