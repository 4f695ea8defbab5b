package io.rankops.workflows.pipeline;

/** Where a run is; the order is the pipeline's order. */
public enum PipelineStep {
    EXTRACT, TRAIN, EVALUATE, GATE, REGISTER, AWAIT_APPROVAL, ROLLOUT, DONE
}
