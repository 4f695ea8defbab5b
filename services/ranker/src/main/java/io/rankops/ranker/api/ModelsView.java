package io.rankops.ranker.api;

/**
 * GET /admin/models: what each model arm serves (null when nothing), whether the baseline arm
 * (the caller's own order) stands in for a missing champion, and the latest refused load.
 */
public record ModelsView(String modelName, Model champion, Model candidate, boolean baselineServes,
        LoadError lastError) {

    /** {@code itemSnapshotUri} / {@code itemSnapshotItems}: the item features served with the version (null: none). */
    public record Model(String version, String source, String family, String runId, String loadedAt,
            String itemSnapshotUri, Integer itemSnapshotItems) {
    }

    public record LoadError(String arm, String version, String source, String message, String at) {
    }
}
