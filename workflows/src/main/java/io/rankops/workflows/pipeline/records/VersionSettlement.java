package io.rankops.workflows.pipeline.records;

/**
 * Moves a version to a lifecycle stage, with the aliases that stage implies (see
 * {@link VersionLifecycle}). Idempotent: settling twice to the same stage changes nothing.
 *
 * @param runId  the run the version came from, tagged on the version with the reason
 * @param reason why, as a person reads it ("rejected by rita: …")
 */
public record VersionSettlement(String modelName, String version, String runId, VersionLifecycle lifecycle,
        String reason) {
}
