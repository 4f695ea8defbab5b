package io.rankops.api.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** Runs the API against Temporal's in-process test server, where fake activities drive real workflows. */
public class PipelineTestProfile implements QuarkusTestProfile {

    /** The API's own ledger worker records the runs, as in production. */
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rankops.ledger.poll", "true");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(TemporalTestServer.class));
    }
}
