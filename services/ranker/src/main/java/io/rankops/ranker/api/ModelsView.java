package io.rankops.ranker.api;

/** GET /admin/models: what each arm serves (null when nothing), and the latest refused load. */
public record ModelsView(String modelName, Model champion, Model candidate, LoadError lastError) {

    public record Model(String version, String source, String family, String runId, String loadedAt) {
    }

    public record LoadError(String arm, String version, String source, String message, String at) {
    }
}
