package io.rankops.workflows.rollout;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Canary rollout of an approved version: traffic steps with durable bake timers, a judgement
 * after each (see {@link CanaryAnalysis}), automatic rollback, and promotion at the end.
 */
@WorkflowInterface
public interface CanaryRolloutWorkflow {

    /** The rollout of a run is its child with this id, so the API finds it without the pipeline's code. */
    static String workflowId(String runId) {
        return runId + "-rollout";
    }

    @WorkflowMethod
    RolloutResult rollout(RolloutRequest request);

    @QueryMethod
    RolloutStatus status();

    /** Holds the current step (its timer stops counting) until resumed. */
    @SignalMethod
    void pause();

    @SignalMethod
    void resume();

    /** Ends the rollout now: candidate traffic to 0, champion unchanged. */
    @SignalMethod
    void abort(String reason);

    /** Skips the remaining steps and promotes the candidate now. */
    @SignalMethod
    void promoteNow(String reason);
}
