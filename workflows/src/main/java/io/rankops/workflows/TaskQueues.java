package io.rankops.workflows;

/** Task-queue names shared by the API (starter and ledger), the Java worker and the Python trainer. */
public final class TaskQueues {
    /** Java activities and all workflows: extraction, registration, rollout control, records. */
    public static final String PIPELINE = "pipeline";
    /** Python activities that need PyTorch: train, evaluate, export. Served by services/trainer. */
    public static final String TRAINING = "training";
    /**
     * The run ledger's activities (step events, opening scheduled runs). Served by services/api,
     * the one writer of the pipeline_run, run_step_event and audit_log tables.
     */
    public static final String LEDGER = "run-ledger";

    private TaskQueues() {
    }
}
