package io.rankops.workflows.pipeline.records;

import io.rankops.workflows.pipeline.TrainingParams;

/** Train one model on an extracted dataset; the trainer resumes from its checkpoint on retry. */
public record TrainingRequest(String runId, DatasetManifest dataset, String modelFamily, boolean regionMask,
        TrainingParams params, String device) {
}
