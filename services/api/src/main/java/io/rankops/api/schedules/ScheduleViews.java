package io.rankops.api.schedules;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rankops.workflows.pipeline.GatePolicy;
import io.rankops.workflows.pipeline.PipelineRequest;
import io.rankops.workflows.pipeline.TrainingParams;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** What the schedule endpoints answer. */
public final class ScheduleViews {

    /**
     * @param nextRuns      the next nominal times Temporal computed (empty while paused)
     * @param recentActions the latest actions, oldest first
     * @param run           every run parameter, defaults filled in
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScheduleView(String id, String description, String cron, String timezone, int windowDays,
            boolean paused, String note, List<Instant> nextRuns, List<RecentAction> recentActions, long actionCount,
            Instant createdAt, String createdBy, RunParameters run) {
    }

    /**
     * @param workflowId the ScheduledRunWorkflow this action started
     * @param runId      the pipeline run it starts (or found already started that day)
     */
    public record RecentAction(Instant scheduledAt, Instant startedAt, String workflowId, String runId) {
    }

    /** A schedule's run template as the pipeline receives it, minus what each run sets itself. */
    public record RunParameters(String modelName, String modelFamily, boolean regionMask, List<String> regions,
            TrainingParams params, GatePolicy gate, String device, Duration approvalTimeout) {

        static RunParameters of(PipelineRequest template) {
            return new RunParameters(template.modelName(), template.modelFamily(), template.regionMask(),
                    template.regions(), template.params(), template.gate(), template.device(),
                    template.approvalTimeout());
        }
    }

    /** The answer to trigger and backfill: Temporal starts the actions asynchronously. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CommandAccepted(String scheduleId, String command, LocalDate start, LocalDate end) {
    }

    private ScheduleViews() {
    }
}
