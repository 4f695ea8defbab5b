package io.rankops.workflows.schedule;

import io.rankops.workflows.pipeline.DataWindow;
import java.time.LocalDate;

/**
 * @param started false when the day's run already existed (a manual trigger on a day the schedule
 *                had already fired, or a backfill over a day that ran): nothing new was started
 */
public record ScheduledRunResult(String runId, LocalDate runDate, DataWindow window, boolean started) {
}
