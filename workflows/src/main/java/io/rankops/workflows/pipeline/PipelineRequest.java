package io.rankops.workflows.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * Everything a run needs, fixed when it starts (workflow id = runId).
 *
 * @param modelName       the MLflow registered model the version joins; its aliases are what the ranker serves
 * @param trigger         "ui", "schedule" or "api"
 * @param regions         buyer regions to train on; empty means all
 * @param device          "auto", "cpu" or "gpu"
 * @param approvalTimeout how long a release manager has to decide before the run expires
 */
public record PipelineRequest(String runId, String triggeredBy, String trigger, String modelName, String modelFamily,
        boolean regionMask, DataWindow window, List<String> regions, TrainingParams params,
        GatePolicy gate, String device, Duration approvalTimeout) {
}
