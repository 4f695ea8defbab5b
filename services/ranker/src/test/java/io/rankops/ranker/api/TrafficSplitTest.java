package io.rankops.ranker.api;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rankops.ranker.support.ParityVectors;
import io.rankops.ranker.support.RankerAdmin;
import io.rankops.ranker.support.StackFixture;
import io.rankops.ranker.support.UniqueModelProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The sticky champion / candidate split, driven through PUT /admin/traffic. */
@QuarkusTest
@TestProfile(TrafficSplitTest.Profile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrafficSplitTest {

    public static class Profile extends UniqueModelProfile {
    }

    private static final int USERS = 2000;

    @ConfigProperty(name = "rankops.ranker.model-name")
    String modelName;

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @io.quarkus.test.common.http.TestHTTPResource("/v1/rank")
    java.net.URL rankUrl;

    private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    private StackFixture stack;
    private String candidateVersion;
    private final Map<String, Number> features = ParityVectors.load("shared_bottom.parity.json").cases().get(0).features();

    /** Once per class, but in a BeforeEach: RestAssured knows the random test port only from there. */
    @BeforeEach
    void registerBothArms() {
        if (stack != null) {
            return;
        }
        stack = new StackFixture(modelName);
        candidateVersion = stack.championAndCandidate();
        admin().post("/admin/models/reload").then().statusCode(200)
                .body("champion.version", equalTo("1")).body("candidate.version", equalTo(candidateVersion))
                .body("candidate.family", equalTo("esmm"));
    }

    @AfterAll
    void removeModel() {
        stack.close();
    }

    @Test
    void candidateShareFollowsThePercentageAndUsersStayPut() {
        setTraffic(5.0);
        Set<Long> atFive = candidateUsers();
        assertTrue(atFive.size() >= USERS * 0.035 && atFive.size() <= USERS * 0.065,
                atFive.size() + " of " + USERS + " users in the candidate at 5 %");
        assertEquals(atFive, candidateUsers(), "same users, same arm, while the percentage holds");

        setTraffic(25.0);
        Set<Long> atTwentyFive = candidateUsers();
        assertTrue(atTwentyFive.size() >= USERS * 0.22 && atTwentyFive.size() <= USERS * 0.28,
                atTwentyFive.size() + " of " + USERS + " users in the candidate at 25 %");
        assertTrue(atTwentyFive.containsAll(atFive), "raising the share only moves champion users to the candidate");

        setTraffic(0.0);
        assertEquals(Set.of(), candidateUsers());
    }

    @Test
    void trafficIsReadBack() {
        setTraffic(12.5);
        admin().get("/admin/traffic").then().statusCode(200)
                .body("candidateVersion", equalTo(candidateVersion)).body("candidatePercent", equalTo(12.5f));
    }

    @Test
    void aVersionOtherThanTheLoadedCandidateIsA409() {
        admin().contentType(ContentType.JSON).body(Map.of("candidateVersion", "99", "candidatePercent", 5.0))
                .put("/admin/traffic").then().statusCode(409).body("error", containsString("99"));
    }

    @Test
    void zeroPercentIsAcceptedForAVersionThatIsNotLoaded() {
        // What a rollout does after promotion: the candidate alias is gone, the split goes to 0 %.
        admin().contentType(ContentType.JSON).body(Map.of("candidateVersion", "99", "candidatePercent", 0.0))
                .put("/admin/traffic").then().statusCode(200).body("candidatePercent", equalTo(0.0f));
        assertEquals(Set.of(), candidateUsers());
    }

    @Test
    void percentagesOutsideZeroToHundredAre400s() {
        admin().contentType(ContentType.JSON).body(Map.of("candidateVersion", candidateVersion, "candidatePercent", 100.5))
                .put("/admin/traffic").then().statusCode(400);
        admin().contentType(ContentType.JSON).body(Map.of("candidateVersion", candidateVersion, "candidatePercent", -1))
                .put("/admin/traffic").then().statusCode(400);
    }

    private void setTraffic(double percent) {
        admin().contentType(ContentType.JSON).body(Map.of("candidateVersion", candidateVersion, "candidatePercent", percent))
                .put("/admin/traffic").then().statusCode(200).body("candidatePercent", equalTo((float) percent));
    }

    /** The users the ranker sends to the candidate, asked over plain java.net.http (RestAssured is slow for 2000 calls). */
    private Set<Long> candidateUsers() {
        return java.util.stream.LongStream.rangeClosed(1, USERS).parallel().filter(user -> {
            try {
                String body = JSON.writeValueAsString(Map.of("userId", user, "region", "US",
                        "candidates", List.of(Map.of("itemId", 1, "features", features))));
                java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(rankUrl.toURI())
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), response.body());
                return JSON.readTree(response.body()).path("arm").asText().equals("candidate");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).boxed().collect(java.util.stream.Collectors.toSet());
    }

    private RequestSpecification admin() {
        return RankerAdmin.request();
    }
}
