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
     */
    public record Version(String version, String status, String source, String mlflowRunId, long createdAtMillis,
            List<String> aliases, String runId, String datasetId, Map<String, String> tags) {
    }
}
