package io.rankops.api.status;

import java.time.Instant;
import java.util.List;

public record StackStatus(Instant checkedAt, boolean healthy, List<ComponentStatus> components) {

    /** Each component's name, kind and up/down, nothing more (for anonymous callers). */
    public StackStatus withoutDetails() {
        return new StackStatus(checkedAt, healthy, components.stream()
                .map(c -> new ComponentStatus(c.name(), c.kind(), c.up(), null, null)).toList());
    }
}
