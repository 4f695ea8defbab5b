package io.rankops.worker.extraction;

/** Told between units of work; the activity turns it into Temporal heartbeats. */
@FunctionalInterface
public interface ExtractionProgress {

    ExtractionProgress NONE = detail -> { };

    void report(String detail);
}
