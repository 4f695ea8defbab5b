package io.rankops.api.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** Runs the API against Temporal's in-process test server, where fake activities drive real workflows. */
public class PipelineTestProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(TemporalTestServer.class));
    }
}
