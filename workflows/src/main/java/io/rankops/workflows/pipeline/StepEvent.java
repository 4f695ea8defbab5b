package io.rankops.workflows.pipeline;

/**
 * One transition of a run, written to the API's projection. {@code sequence} orders events
 * within a run and makes the write idempotent: a retried activity writes nothing twice.
 *
 * @param status  "started", "completed", "failed", "waiting", "reminded", ...
 * @param detail  JSON with what a person would want to see for this step (metrics, reasons)
 */
public record StepEvent(String runId, int sequence, String step, String status, String detail, long occurredAtMillis) {
}
