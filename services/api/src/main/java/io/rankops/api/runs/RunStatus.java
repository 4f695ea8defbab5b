package io.rankops.api.runs;

import java.util.EnumSet;
import java.util.Set;

/** A run's status in the ledger (pipeline_run.status); {@link RunProjection} derives it from step events. */
public enum RunStatus {
    RUNNING, AWAITING_APPROVAL,
    /** Closed by a failure outside the gate; the reason names it. */
    FAILED, CANCELLED,
    /** Closed with an outcome of the pipeline (PipelineOutcome), as the run's last step recorded. */
    APPROVED, PROMOTED, ROLLED_BACK, REJECTED, APPROVAL_EXPIRED, GATE_FAILED,
    /** Temporal ended the workflow without the run recording why (terminated, timed out). */
    TERMINATED;

    /** Statuses of a run whose workflow still executes. */
    public static final Set<RunStatus> OPEN = EnumSet.of(RUNNING, AWAITING_APPROVAL);

    public boolean isOpen() {
        return OPEN.contains(this);
    }
}
