package io.rankops.api.status;

import java.time.Instant;
import java.util.List;

public record StackStatus(Instant checkedAt, boolean healthy, List<ComponentStatus> components) {
}
