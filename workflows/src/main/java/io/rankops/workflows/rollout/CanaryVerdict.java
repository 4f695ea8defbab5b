package io.rankops.workflows.rollout;

public enum CanaryVerdict {
    /** No evidence of harm: go to the next step. */
    CONTINUE,
    /** Too few users to judge: bake the same step longer. */
    EXTEND,
    /** A guardrail broke or the candidate is significantly worse: weight to 0, champion stays. */
    ROLL_BACK
}
