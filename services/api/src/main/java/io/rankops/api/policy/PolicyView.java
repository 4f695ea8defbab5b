package io.rankops.api.policy;

import java.time.OffsetDateTime;

/** The floor in force, and who set it (null: the configured default, nobody changed it). */
public record PolicyView(PolicyFloor floor, String updatedBy, OffsetDateTime updatedAt) {
}
