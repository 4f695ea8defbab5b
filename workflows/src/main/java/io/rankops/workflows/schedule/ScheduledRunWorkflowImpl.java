package io.rankops.workflows.schedule;

import io.rankops.workflows.ActivityPolicies;
import io.rankops.workflows.TaskQueues;
import io.rankops.workflows.pipeline.PipelineRequest;
import io.rankops.workflows.pipeline.TrainingPipelineWorkflow;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.common.SearchAttributeKey;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;

public class ScheduledRunWorkflowImpl implements ScheduledRunWorkflow {

    /**
     * Set by the Temporal Schedule on every workflow it starts: the action's nominal time. A
     * backfill or a late catch-up starts now but for a past time, and must train on that time's window.
     */
    static final SearchAttributeKey<OffsetDateTime> SCHEDULED_START_TIME =
            SearchAttributeKey.forOffsetDateTime("TemporalScheduledStartTime");

    private final ScheduledRunActivities activities =
            Workflow.newActivityStub(ScheduledRunActivities.class, ActivityPolicies.records());

    @Override
    public ScheduledRunResult start(ScheduledRunRequest request) {
        LocalDate runDate = scheduledAt().atZone(ZoneId.of(request.timeZone())).toLocalDate();
        PipelineRequest run = request.runOn(runDate);
        activities.openRun(run);

        TrainingPipelineWorkflow pipeline = Workflow.newChildWorkflowStub(TrainingPipelineWorkflow.class,
                ChildWorkflowOptions.newBuilder()
                        .setWorkflowId(run.runId())
                        .setTaskQueue(TaskQueues.PIPELINE)
                        // The run outlives this workflow: it may wait days for a release manager.
                        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                        .build());
        Async.function(pipeline::run, run);
        try {
            Workflow.getWorkflowExecution(pipeline).get();
        } catch (ChildWorkflowFailure failure) {
            if (failure.getCause() instanceof WorkflowExecutionAlreadyStarted) {
                return new ScheduledRunResult(run.runId(), runDate, run.window(), false);
            }
            throw failure;
        }
        return new ScheduledRunResult(run.runId(), runDate, run.window(), true);
    }

    /** The schedule's nominal time; workflow time when started by hand, outside a schedule. */
    private static Instant scheduledAt() {
        OffsetDateTime nominal = Workflow.getTypedSearchAttributes().get(SCHEDULED_START_TIME);
        return nominal != null ? nominal.toInstant() : Instant.ofEpochMilli(Workflow.currentTimeMillis());
    }
}
