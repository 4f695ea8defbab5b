package io.rankops.workflows.schedule;

import io.rankops.workflows.pipeline.DataWindow;
import io.rankops.workflows.pipeline.PipelineRequest;
import java.time.LocalDate;

/**
 * A schedule's fixed argument to {@link ScheduledRunWorkflow}.
 *
 * @param timeZone   IANA zone of the schedule; the run's date is the nominal time's date there
 * @param windowDays length of each run's data window; the window ends the day before the run
 * @param template   the run's parameters; runId, triggeredBy, trigger and window are replaced per run
 */
public record ScheduledRunRequest(String scheduleId, String timeZone, int windowDays, PipelineRequest template) {

    public static final String TRIGGER = "schedule";

    /** One run per schedule and day: a second start on the same date is refused as a duplicate. */
    public String runIdOn(LocalDate runDate) {
        return "run-sched-" + scheduleId + "-" + runDate;
    }

    public String triggeredBy() {
        return TRIGGER + ":" + scheduleId;
    }

    /** The windowDays days ending the day before runDate, both ends inclusive. */
    public DataWindow windowOn(LocalDate runDate) {
        return new DataWindow(runDate.minusDays(windowDays), runDate.minusDays(1));
    }

    public PipelineRequest runOn(LocalDate runDate) {
        PipelineRequest t = template;
        return new PipelineRequest(runIdOn(runDate), triggeredBy(), TRIGGER, t.modelName(), t.modelFamily(),
                t.regionMask(), windowOn(runDate), t.regions(), t.params(), t.gate(), t.device(), t.approvalTimeout(),
                t.rollout());
    }
}
