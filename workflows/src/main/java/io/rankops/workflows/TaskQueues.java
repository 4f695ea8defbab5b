package io.rankops.workflows;

/** Task-queue names shared by starters (api), the Java worker and the Python trainer. */
public final class TaskQueues {
    /** Java activities and all workflows: extraction, registration, rollout control, records. */
    public static final String PIPELINE = "pipeline";
    /** Python activities that need PyTorch: train, evaluate, export. Served by services/trainer. */
    public static final String TRAINING = "training";

    private TaskQueues() {
    }
}
