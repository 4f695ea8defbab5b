package io.rankops.ranker.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.UUID;

/**
 * Points the ranker at a registered model no other test class (or earlier run) uses; the test
 * reads the name back with {@code @ConfigProperty(name = "rankops.ranker.model-name")}.
 */
public class UniqueModelProfile implements QuarkusTestProfile {

    private final String modelName = "rankops-ranker-test-" + testClassName().toLowerCase() + "-" + UUID.randomUUID();

    private String testClassName() {
        Class<?> owner = getClass().getEnclosingClass();
        return (owner == null ? getClass() : owner).getSimpleName();
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rankops.ranker.model-name", modelName);
    }
}
