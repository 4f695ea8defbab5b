package io.rankops.workflows.rollout;

public enum RolloutOutcome {
    /** Every step held (or a release manager promoted early): the version is champion. */
    PROMOTED,
    /** The analysis or a guardrail said no: candidate traffic is 0, the champion is unchanged. */
    ROLLED_BACK,
    /** A release manager aborted: candidate traffic is 0, the champion is unchanged. */
    ABORTED
}
