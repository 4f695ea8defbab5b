package io.rankops.workflows.probe;

/** Proof that both task queues have a live worker: one answer from each. */
public record ProbeReport(String probeId, WorkerInfo pipelineWorker, WorkerInfo trainingWorker) {
}
