package io.rankops.workflows.pipeline;

public enum PipelineOutcome {
    /** Approved by a release manager, no rollout requested: the version is ready for one. */
    APPROVED,
    /** Approved, rolled out step by step, and now alias {@code champion}. */
    PROMOTED,
    /** Approved, but the canary rolled it back (or a release manager aborted it); the champion stays. */
    ROLLED_BACK,
    /** A release manager said no. */
    REJECTED,
    /** Nobody decided before the approval timeout. */
    APPROVAL_EXPIRED,
    /** The offline gate refused the candidate. */
    GATE_FAILED,
    CANCELLED
}
