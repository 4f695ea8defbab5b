package io.rankops.workflows.schedule;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The action of a retraining schedule. A Temporal Schedule starts workflows with fixed
 * arguments, but each run trains on a window that ends the day before it: this workflow turns
 * the schedule's nominal time into that window, opens the run's row in the API's projection and
 * starts {@link io.rankops.workflows.pipeline.TrainingPipelineWorkflow} as an abandoned child
 * (workflow id {@code run-sched-<scheduleId>-<date>}), then completes, so a run that waits days
 * for approval never blocks the next scheduled action.
 */
@WorkflowInterface
public interface ScheduledRunWorkflow {

    @WorkflowMethod
    ScheduledRunResult start(ScheduledRunRequest request);
}
