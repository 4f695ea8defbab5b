package io.rankops.workflows.pipeline;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * From search logs to an approved model version: extract, train, evaluate, gate, register,
 * wait for a release manager. Workflow id = run id. Cancel with Temporal's cancellation.
 */
@WorkflowInterface
public interface TrainingPipelineWorkflow {

    @WorkflowMethod
    PipelineResult run(PipelineRequest request);

    @QueryMethod
    PipelineStatus status();

    /** Per-epoch progress from the trainer. */
    @SignalMethod
    void trainingProgress(TrainingProgress progress);

    /**
     * The approval decision. Refused (the caller gets the validator's message, nothing is
     * recorded) unless the run awaits approval, the approver is named, is not the person who
     * triggered the run (four eyes), and a rejection carries a comment.
     */
    @UpdateMethod
    PipelineStatus decide(ApprovalDecision decision);

    @UpdateValidatorMethod(updateName = "decide")
    void validateDecision(ApprovalDecision decision);
}
