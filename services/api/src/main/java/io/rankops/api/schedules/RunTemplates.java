package io.rankops.api.schedules;

import io.rankops.api.runs.RunRequest;
import io.rankops.workflows.pipeline.PipelineRequest;

/**
 * Completes a run template with the defaults of runs/RunDefaults through RunRequest's own
 * conversion, so a schedule's runs and a person's runs cannot drift apart.
 */
final class RunTemplates {

    /** The template as the pipeline will get it, with runId, triggeredBy, trigger and window left for each run. */
    static PipelineRequest complete(RunRequest request) {
        PipelineRequest full = request.toPipelineRequest(null, null);
        return new PipelineRequest(null, null, null, full.modelName(), full.modelFamily(), full.regionMask(), null,
                full.regions(), full.params(), full.gate(), full.device(), full.approvalTimeout(), full.rollout());
    }

    private RunTemplates() {
    }
}
