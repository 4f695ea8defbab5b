package io.rankops.workflows.pipeline;

import java.time.LocalDate;

/** Days of search-log partitions (events/dt=YYYY-MM-DD/), both ends inclusive. */
public record DataWindow(LocalDate start, LocalDate end) {

    public long days() {
        return end.toEpochDay() - start.toEpochDay() + 1;
    }
}
