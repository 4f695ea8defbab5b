package io.rankops.api.schedules;

import io.rankops.workflows.TaskQueues;
import io.rankops.workflows.schedule.ScheduledRunRequest;
import io.rankops.workflows.schedule.ScheduledRunWorkflow;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleBackfill;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleListActionStartWorkflow;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The API's only door to Temporal Schedules. A schedule's id is the rankops schedule id; its
 * action starts {@link ScheduledRunWorkflow} on the "pipeline" queue with a {@link ScheduledRunRequest}.
 * What Temporal does not keep in a readable form (the cron text, the description, who made it)
 * rides along in the schedule's memo.
 */
@ApplicationScoped
public class RetrainingSchedules {

    static final String MEMO_KEY = "rankops";
    /** Workflow ids of the actions: Temporal appends the nominal time ("sched-weekly-2026-03-02T03:00:00Z"). */
    static final String WORKFLOW_ID_PREFIX = "sched-";
    /** Actions missed while Temporal was down still run when it is back within this time. */
    static final Duration CATCHUP_WINDOW = Duration.ofDays(1);
    /** The scheduled workflow finishes once its run has started, so a late one just waits its turn. */
    static final ScheduleOverlapPolicy OVERLAP = ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL;

    /** What the memo holds. */
    public record Memo(String description, String cron, String createdBy) {
    }

    private final ScheduleClient client;

    public RetrainingSchedules(ScheduleClient client) {
        this.client = client;
    }

    /** Throws ScheduleAlreadyRunningException when the id is taken. */
    public void create(ScheduledRunRequest request, String cron, boolean paused, String note, Memo memo) {
        Schedule schedule = Schedule.newBuilder()
                .setAction(ScheduleActionStartWorkflow.newBuilder()
                        .setWorkflowType(ScheduledRunWorkflow.class)
                        .setArguments(request)
                        .setOptions(WorkflowOptions.newBuilder()
                                .setWorkflowId(WORKFLOW_ID_PREFIX + request.scheduleId())
                                .setTaskQueue(TaskQueues.PIPELINE)
                                .build())
                        .build())
                .setSpec(ScheduleSpec.newBuilder()
                        .setCronExpressions(List.of(cron))
                        .setTimeZoneName(request.timeZone())
                        .build())
                .setPolicy(SchedulePolicy.newBuilder().setOverlap(OVERLAP).setCatchupWindow(CATCHUP_WINDOW).build())
                .setState(ScheduleState.newBuilder().setPaused(paused).setNote(note == null ? "" : note).build())
                .build();
        client.createSchedule(request.scheduleId(), schedule,
                ScheduleOptions.newBuilder().setMemo(Map.of(MEMO_KEY, memo)).build());
    }

    /** Ids of the schedules whose action is a scheduled run; Temporal's listing is eventually consistent. */
    public List<String> ids() {
        String type = ScheduledRunWorkflow.class.getSimpleName();
        return client.listSchedules().filter(s -> s.getSchedule().getAction() instanceof ScheduleListActionStartWorkflow a
                && type.equals(a.getWorkflow())).map(s -> s.getScheduleId()).sorted().toList();
    }

    public ScheduleDescription describe(String id) {
        return handle(id).describe();
    }

    public void pause(String id, String note) {
        handle(id).pause(note);
    }

    public void unpause(String id, String note) {
        handle(id).unpause(note);
    }

    public void trigger(String id) {
        handle(id).trigger(OVERLAP);
    }

    /** Every action the spec has in [from, to) runs now, in order. */
    public void backfill(String id, Instant from, Instant to) {
        handle(id).backfill(List.of(new ScheduleBackfill(from, to, OVERLAP)));
    }

    public void delete(String id) {
        handle(id).delete();
    }

    private ScheduleHandle handle(String id) {
        return client.getHandle(id);
    }
}
