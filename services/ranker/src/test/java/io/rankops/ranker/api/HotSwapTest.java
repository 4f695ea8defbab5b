package io.rankops.ranker.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rankops.ranker.support.ParityVectors;
import io.rankops.ranker.support.RankerAdmin;
import io.rankops.ranker.support.StackFixture;
import io.rankops.ranker.support.UniqueModelProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Models change under traffic: alias moves, reloads, refused artifacts, missing aliases. */
@QuarkusTest
@TestProfile(HotSwapTest.Profile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HotSwapTest {

    /** A short refresh interval, so the background refresh is exercised too. */
    public static class Profile extends UniqueModelProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("rankops.ranker.refresh-interval", "1s");
            return overrides;
        }
    }

    private static final Duration REFRESH_WAIT = Duration.ofSeconds(15);
    private static final int RANKING_THREADS = 4;

    @ConfigProperty(name = "rankops.ranker.model-name")
    String modelName;
    @TestHTTPResource("/v1/rank")
    URL rankUrl;

    private StackFixture stack;
    private String first;
    private String second;
    private String corrupt;
    private String tampered;
    private final Map<String, Number> features = ParityVectors.load("shared_bottom.parity.json").cases().get(0).features();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void registerVersions() {
        stack = new StackFixture(modelName);
        byte[] valid = StackFixture.resource("shared_bottom.onnx");
        first = stack.addVersion(valid);
        second = stack.addVersion(StackFixture.resource("esmm.onnx"));
        corrupt = stack.addVersion(Arrays.copyOf(valid, valid.length / 2));
        // Loads fine, but its bytes are not the ones registration recorded.
        tampered = stack.addVersion(valid, Map.of("rankops.onnx_sha256", "0".repeat(64)));
    }

    @AfterAll
    void removeModel() {
        stack.close();
    }

    @Test
    void aliasMovesUnderConcurrentTrafficDropNoRequest() throws Exception {
        aliases(first, null);
        String rankBody = json.writeValueAsString(Map.of("userId", 1, "region", "US",
                "candidates", List.of(Map.of("itemId", 1, "features", features), Map.of("itemId", 2, "features", features))));
        HttpClient http = HttpClient.newHttpClient();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger failures = new AtomicInteger();
        AtomicLong served = new AtomicLong();
        Set<String> versionsSeen = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(RANKING_THREADS);
        try {
            List<Future<?>> rankers = java.util.stream.IntStream.range(0, RANKING_THREADS).<Future<?>>mapToObj(t -> threads.submit(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(rankUrl.toString()))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(rankBody)).build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            failures.incrementAndGet();
                            continue;
                        }
                        JsonNode body = json.readTree(response.body());
                        versionsSeen.add(body.path("modelVersion").asText());
                        served.incrementAndGet();
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
            })).toList();

            for (int swap = 0; swap < 3; swap++) {
                Thread.sleep(300);
                stack.setAlias("champion", second);
                admin().post("/admin/models/reload").then().statusCode(200).body("champion.version", equalTo(second));
                Thread.sleep(300);
                stack.setAlias("champion", first);
                admin().post("/admin/models/reload").then().statusCode(200).body("champion.version", equalTo(first));
            }
            Thread.sleep(300);
            running.set(false);
            for (Future<?> ranker : rankers) {
                ranker.get(30, TimeUnit.SECONDS);
            }
        } finally {
            running.set(false);
            threads.shutdownNow();
        }

        assertEquals(0, failures.get(), "requests failed during " + served.get() + " rankings across 6 swaps");
        assertEquals(Set.of(first, second), versionsSeen);
        assertTrue(served.get() > 50, "only " + served.get() + " rankings ran during the swaps");
    }

    @Test
    void backgroundRefreshFollowsTheAlias() throws Exception {
        aliases(first, null);
        stack.setAlias("champion", second);

        long deadline = System.nanoTime() + REFRESH_WAIT.toNanos();
        String version = null;
        while (System.nanoTime() < deadline && !second.equals(version)) {
            Thread.sleep(200);
            version = rankOne(5).extract().path("modelVersion");
        }
        assertEquals(second, version, "no reload call: the scheduled refresh picked the new champion up");
    }

    @Test
    void aCorruptArtifactIsRefusedAndThePreviousModelKeepsServing() {
        aliases(first, null);
        stack.setAlias("champion", corrupt);

        admin().post("/admin/models/reload").then().statusCode(200)
                .body("champion.version", equalTo(first))
                .body("lastError.arm", equalTo("champion"))
                .body("lastError.version", equalTo(corrupt))
                .body("lastError.message", containsString("ONNX Runtime cannot load"));
        rankOne(6).statusCode(200).body("modelVersion", equalTo(first));
        admin().get("/admin/models").then().statusCode(200).body("lastError.version", equalTo(corrupt));

        stack.setAlias("champion", first);
        admin().post("/admin/models/reload").then().statusCode(200).body("lastError", equalTo(null));
    }

    @Test
    void anArtifactThatDiffersFromItsRegisteredDigestIsRefused() {
        aliases(first, null);
        stack.setAlias("candidate", tampered);

        admin().post("/admin/models/reload").then().statusCode(200)
                .body("champion.version", equalTo(first))
                .body("candidate", equalTo(null))
                .body("lastError.arm", equalTo("candidate"))
                .body("lastError.version", equalTo(tampered))
                .body("lastError.message", containsString("rankops.onnx_sha256"));
        rankOne(7).statusCode(200).body("modelVersion", equalTo(first));

        aliases(first, null);
    }

    @Test
    void withoutAChampionTheBaselineServesAndACandidateOnlyItsSplit() {
        aliases(null, second);
        admin().contentType(ContentType.JSON).body(Map.of("candidatePercent", 0.0)).put("/admin/traffic")
                .then().statusCode(200);
        // A loaded candidate the split does not name serves nobody: approval, not an alias, gives traffic.
        for (long user = 1; user <= 20; user++) {
            twoItems(user).statusCode(200).body("arm", equalTo("baseline")).body("modelVersion", equalTo(null))
                    .body("items.itemId", equalTo(List.of(5, 3))).body("items[0].score", equalTo(null));
        }
        admin().get("/admin/models").then().statusCode(200).body("baselineServes", equalTo(true))
                .body("candidate.version", equalTo(second));

        admin().contentType(ContentType.JSON).body(Map.of("candidateVersion", second, "candidatePercent", 100.0))
                .put("/admin/traffic").then().statusCode(200);
        twoItems(4).statusCode(200).body("arm", equalTo("candidate")).body("modelVersion", equalTo(second));
        given().get("/v1/arms/metrics").then().statusCode(200)
                .body("arms.baseline.modelVersion", equalTo(null))
                .body("arms.champion.modelVersion", equalTo(null));
        admin().contentType(ContentType.JSON).body(Map.of("candidateVersion", second, "candidatePercent", 0.0))
                .put("/admin/traffic").then().statusCode(200);

        aliases(null, null);
        twoItems(1).statusCode(200).body("arm", equalTo("baseline")).body("items.itemId", equalTo(List.of(5, 3)));
        admin().get("/admin/models").then().statusCode(200).body("champion", equalTo(null)).body("candidate", equalTo(null));
    }

    private io.restassured.response.ValidatableResponse twoItems(long user) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("userId", user, "region", "US", "candidates",
                        List.of(Map.of("itemId", 5, "features", features), Map.of("itemId", 3, "features", features))))
                .post("/v1/rank").then();
    }

    @Test
    void trafficForAVersionNotLoadedYetLoadsItFirst() {
        aliases(first, null);
        stack.setAlias("candidate", second);

        // no reload in between: PUT /admin/traffic re-reads the candidate alias itself
        admin().contentType(ContentType.JSON).body(Map.of("candidateVersion", second, "candidatePercent", 100.0))
                .put("/admin/traffic").then().statusCode(200).body("candidateVersion", equalTo(second));
        rankOne(3).statusCode(200).body("arm", equalTo("candidate")).body("modelVersion", equalTo(second));
        admin().get("/admin/models").then().body("candidate.loadedAt", notNullValue());

        admin().contentType(ContentType.JSON).body(Map.of("candidateVersion", second, "candidatePercent", 0.0))
                .put("/admin/traffic").then().statusCode(200);
        rankOne(3).statusCode(200).body("arm", equalTo("champion"));
    }

    /** Points the aliases (null = none) and reloads, so each test starts from a known state. */
    private void aliases(String champion, String candidate) {
        for (Map.Entry<String, String> alias : new HashMap<>(Map.of("champion", String.valueOf(champion),
                "candidate", String.valueOf(candidate))).entrySet()) {
            if (alias.getValue().equals("null")) {
                stack.deleteAlias(alias.getKey());
            } else {
                stack.setAlias(alias.getKey(), alias.getValue());
            }
        }
        admin().post("/admin/models/reload").then().statusCode(200);
    }

    private io.restassured.response.ValidatableResponse rankOne(long user) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("userId", user, "region", "US", "candidates", List.of(Map.of("itemId", 1, "features", features))))
                .post("/v1/rank").then();
    }

    private RequestSpecification admin() {
        return RankerAdmin.request();
    }
}
