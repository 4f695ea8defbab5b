package io.rankops.api.status;

/**
 * One part of the platform as the status page shows it.
 *
 * @param kind "infrastructure" (Temporal, PostgreSQL, MinIO, MLflow) or "service" (ours)
 * @param url  where a person opens it, if it has a UI
 */
public record ComponentStatus(String name, String kind, boolean up, String detail, String url) {
}
