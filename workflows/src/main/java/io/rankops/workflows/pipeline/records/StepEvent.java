package io.rankops.workflows.pipeline.records;

import io.rankops.workflows.pipeline.PipelineStep;
import java.util.Locale;
import java.util.Objects;

/**
 * One transition of a run, written to the run ledger (services/api). {@code sequence} orders events
 * within a run and makes the write idempotent: a retried activity writes nothing twice.
 *
 * @param step    a {@link PipelineStep} in lower case ("extract", "await_approval", "done"), as stored
 * @param detail  JSON with what a person would want to see for this step (metrics, reasons)
 */
public record StepEvent(String runId, int sequence, String step, StepStatus status, String detail, long occurredAtMillis) {

    public StepEvent {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(status, "status");
        pipelineStep(step); // refuses a step the pipeline does not have
    }

    public static StepEvent of(String runId, int sequence, PipelineStep step, StepStatus status, String detail,
            long occurredAtMillis) {
        return new StepEvent(runId, sequence, step.name().toLowerCase(Locale.ROOT), status, detail, occurredAtMillis);
    }

    public PipelineStep pipelineStep() {
        return pipelineStep(step);
    }

    private static PipelineStep pipelineStep(String step) {
        if (step == null) {
            throw new IllegalArgumentException("a step event needs a step");
        }
        try {
            return PipelineStep.valueOf(step.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown pipeline step '" + step + "'", e);
        }
    }
}
