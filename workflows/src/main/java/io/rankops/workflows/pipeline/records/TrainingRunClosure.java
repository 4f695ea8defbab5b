package io.rankops.workflows.pipeline.records;

/**
 * Ends the run's MLflow training run. The run is found by its {@code rankops.run_id} tag when
 * {@code mlflowRunId} is null (training failed before it reported one).
 *
 * @param status  FINISHED when the pipeline reached an outcome (gate failure and rejection included),
 *                FAILED when a step failed, KILLED when the run was cancelled
 * @param outcome the pipeline outcome, tagged on the MLflow run as {@code rankops.outcome}
 */
public record TrainingRunClosure(String runId, String mlflowRunId, Status status, String outcome) {

    public enum Status { FINISHED, FAILED, KILLED }
}
