package io.rankops.worker.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.rankops.platform.ranker.ArmMetricsView;
import io.rankops.workflows.rollout.ArmSnapshot;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;

/**
 * The worker ⇄ ranker contract against the stack's running ranker: what the ranker writes decodes
 * strictly into the DTOs it publishes (no field unknown to them, none missing), and the declared
 * client reads it as the canary does. Read-only: no traffic is changed.
 */
@QuarkusTest
class RankerContractTest {

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    @Inject
    @RestClient
    RankerAdminClient client;
    @Inject
    RankerClient ranker;
    @ConfigProperty(name = "rankops.ranker.url")
    String rankerUrl;

    @Test
    void theArmMetricsTheRankerWritesDecodeStrictlyIntoItsPublishedView() throws Exception {
        HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(rankerUrl + "/v1/arms/metrics")).header("Authorization", RankerCredential.basic()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, raw.statusCode(), raw.body());

        ArmMetricsView view = STRICT.readValue(raw.body(), ArmMetricsView.class);
        assertEquals(Set.of("champion", "candidate", "baseline"), view.arms().keySet());
        assertNull(view.arms().get("baseline").modelVersion(), "the baseline arm serves no model");
        assertEquals(view.arms().keySet(), client.armMetrics().arms().keySet());
    }

    @Test
    void theCanaryReadsASnapshotWithTheBaselineAlwaysThere() {
        ArmSnapshot snapshot = ranker.armMetrics();
        assertNotNull(snapshot.baseline());
    }

    @Test
    void aRefusedCallIsRetryableAndNamesTheEndpoint() {
        // A version the ranker never loaded cannot get traffic above 0 %.
        RankerClient.RankerCallException e = assertThrows(RankerClient.RankerCallException.class,
                () -> ranker.setCandidateTraffic("no-such-version-" + System.nanoTime(), 5));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("PUT /admin/traffic"), e.getMessage());
    }
}
