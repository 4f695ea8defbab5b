package io.rankops.workflows.pipeline;

public record RegisteredVersion(String modelName, String version, String alias, String source) {
}
