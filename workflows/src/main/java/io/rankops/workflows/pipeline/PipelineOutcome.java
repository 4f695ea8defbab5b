package io.rankops.workflows.pipeline;

public enum PipelineOutcome {
    /** Approved by a release manager: the version is ready for rollout. */
    APPROVED,
    /** A release manager said no. */
    REJECTED,
    /** Nobody decided before the approval timeout. */
    APPROVAL_EXPIRED,
    /** The offline gate refused the candidate. */
    GATE_FAILED,
    CANCELLED
}
