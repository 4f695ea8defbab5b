package io.rankops.api.registry;

import java.util.List;
import java.util.Map;

/**
 * @param aliases alias -> version, e.g. champion -> 3, candidate -> 4
 */
public record ModelVersions(String name, String description, Map<String, String> aliases, List<Version> versions) {

    /**
     * @param runId     the rankops run that produced the version (tag rankops.run_id)
     * @param datasetId the dataset it was trained on (tag rankops.dataset_id)
     * @param mlflowRunId the MLflow run holding its training metrics
     * @param lifecycle the version's stage (tag rankops.lifecycle: AWAITING_APPROVAL, IN_CANARY, CHAMPION,
     *                  RETIRED, ROLLED_BACK, ABORTED, REJECTED, EXPIRED, CANCELLED); null for versions from
     *                  before the lifecycle was tagged
     */
    public record Version(String version, String status, String source, String mlflowRunId, long createdAtMillis,
            List<String> aliases, String runId, String datasetId, String lifecycle, Map<String, String> tags) {
    }
}
