package io.rankops.workflows.pipeline.records;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.rankops.workflows.pipeline.PipelineOutcome;
import io.rankops.workflows.rollout.RolloutOutcome;
import java.util.Arrays;
import java.util.Locale;

/**
 * What happened at a step of a run. On the wire (activity payloads, the run_step_event table, the
 * API's timeline) each value is its lower-case name, as the committed histories have it.
 */
public enum StepStatus {
    STARTED, COMPLETED, FAILED, CANCELLED,
    /** The approval wait sent a reminder; the run still waits. */
    REMINDED,
    /** The approval deadline passed. */
    EXPIRED,
    APPROVED, REJECTED,
    /** Rollout outcomes ({@link RolloutOutcome}). */
    PROMOTED, ROLLED_BACK, ABORTED,
    /** The last event of a run that ended by its approval timeout ({@link PipelineOutcome#APPROVAL_EXPIRED}). */
    APPROVAL_EXPIRED,
    /** The last event of a run the offline gate refused ({@link PipelineOutcome#GATE_FAILED}). */
    GATE_FAILED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static StepStatus fromWire(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(wire)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown step status '" + wire + "'"));
    }

    /** The status of the final {@code done} event: the run's outcome. */
    public static StepStatus of(PipelineOutcome outcome) {
        return valueOf(outcome.name());
    }

    public static StepStatus of(RolloutOutcome outcome) {
        return valueOf(outcome.name());
    }
}
