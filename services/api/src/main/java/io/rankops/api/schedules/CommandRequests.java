package io.rankops.api.schedules;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;

/** Bodies of the schedule commands. */
public final class CommandRequests {

    /** Why a schedule is paused or resumed; Temporal keeps it as the schedule's note. */
    public record Note(@Size(max = 500) String note) {
    }

    /** Days in the schedule's time zone, both inclusive; every action the cron has in them runs now. */
    @BackfillRange
    public record Backfill(@NotNull LocalDate start, @NotNull LocalDate end) {
    }

    private CommandRequests() {
    }
}
