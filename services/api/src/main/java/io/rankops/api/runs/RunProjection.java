package io.rankops.api.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankops.workflows.pipeline.PipelineStep;
import io.rankops.workflows.pipeline.records.StepEvent;
import io.rankops.workflows.pipeline.records.StepStatus;

/**
 * A run's state as a function of its latest step event. Applying the newest event is all the
 * ledger does, so the projection is idempotent and order-proof: an older event never wins.
 *
 * @param reason why the run ended (the done event's reason, or the failure), else the earlier reason
 */
public record RunProjection(RunStatus status, String currentStep, String outcome, String reason) {

    /**
     * @param earlierOutcome the row's outcome before this event
     * @param earlierReason  the row's reason before this event
     * @param detail         the event's detail, parsed (null when it has none)
     */
    public static RunProjection of(StepEvent event, String earlierOutcome, String earlierReason, JsonNode detail) {
        PipelineStep step = event.pipelineStep();
        StepStatus status = event.status();
        // The gate's own "failed" is a verdict, not a crash: the run goes on to close as GATE_FAILED.
        boolean crashed = status == StepStatus.FAILED && step != PipelineStep.GATE;
        RunStatus closed = null;
        String reason = earlierReason;
        if (step == PipelineStep.DONE) {
            closed = RunStatus.valueOf(status.name());
            reason = text(detail, "reason", earlierReason);
        } else if (status == StepStatus.CANCELLED) {
            closed = RunStatus.CANCELLED;
        } else if (crashed) {
            closed = RunStatus.FAILED;
            reason = text(detail, "error", earlierReason);
        }
        if (closed != null) {
            return new RunProjection(closed, event.step(), closed.name(), reason);
        }
        RunStatus open = step == PipelineStep.AWAIT_APPROVAL ? RunStatus.AWAITING_APPROVAL : RunStatus.RUNNING;
        return new RunProjection(open, event.step(), earlierOutcome, reason);
    }

    private static String text(JsonNode detail, String field, String otherwise) {
        JsonNode value = detail == null ? null : detail.get(field);
        return value == null || value.isNull() ? otherwise : value.asText();
    }
}
