package io.rankops.workflows.pipeline.records;

public record RegisteredVersion(String modelName, String version, String alias, String source) {
}
