package io.rankops.api.registry;

public record RegisteredModel(String name, String description, long createdAtMillis) {
}
