package io.rankops.ranker.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Points the ranker at a registered model no other test class (or earlier run) uses; the test
 * reads the name back with {@code @ConfigProperty(name = "rankops.ranker.model-name")}. A subclass
 * adds settings of its own with {@link #settings()}.
 */
public class UniqueModelProfile implements QuarkusTestProfile {

    private final String modelName = "rankops-ranker-test-" + testClassName().toLowerCase() + "-" + UUID.randomUUID();

    private String testClassName() {
        Class<?> owner = getClass().getEnclosingClass();
        return (owner == null ? getClass() : owner).getSimpleName();
    }

    /** Further configuration for the test class's own ranker. */
    protected Map<String, String> settings() {
        return Map.of();
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(settings());
        overrides.put("rankops.ranker.model-name", modelName);
        return overrides;
    }
}
