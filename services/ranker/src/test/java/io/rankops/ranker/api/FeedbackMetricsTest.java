package io.rankops.ranker.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rankops.ranker.support.FeedbackSource;
import io.rankops.ranker.support.ParityVectors;
import io.rankops.ranker.support.RankerAdmin;
import io.rankops.ranker.support.StackFixture;
import io.rankops.ranker.support.UniqueModelProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Feedback is attributed to the arm that served the request, and the per-arm counters add up. One
 * scenario in one test, so the exact counts see no other test's traffic.
 */
@QuarkusTest
@TestProfile(FeedbackMetricsTest.Profile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedbackMetricsTest {

    public static class Profile extends UniqueModelProfile {
    }

    @ConfigProperty(name = "rankops.ranker.model-name")
    String modelName;

    private StackFixture stack;
    private final Map<String, Number> features = ParityVectors.load("shared_bottom.parity.json").cases().get(0).features();

    /** Once per class, but in a BeforeEach: RestAssured knows the random test port only from there. */
    @BeforeEach
    void registerBothArms() {
        if (stack != null) {
            return;
        }
        stack = new StackFixture(modelName);
        String candidate = stack.championAndCandidate();
        RankerAdmin.reload();
        RankerAdmin.split(candidate, 50.0);
    }

    @AfterAll
    void removeModel() {
        stack.close();
    }

    @Test
    void feedbackCountsForTheServingArm() {
        // JsonPath reads JSON numbers as floats, hence the 1e-6 tolerances below.
        // 40 users, 3 items each; every user clicks item 1, every third adds it to the cart, and
        // users buy (user % 4) times across separate requests: per-user orders 0, 1, 2, 3.
        Map<String, List<Long>> ordersPerUserByArm = Map.of("champion", new ArrayList<>(), "candidate", new ArrayList<>());
        Map<String, long[]> expected = Map.of("champion", new long[4], "candidate", new long[4]); // requests, clicks, carts, orders
        for (long user = 1; user <= 40; user++) {
            JsonPath first = rank(user);
            String arm = first.getString("arm");
            String requestId = first.getString("requestId");
            String token = first.getString("feedbackToken");
            long[] counts = expected.get(arm);
            counts[0]++;
            feedback(requestId, token, 1, "click").body("arm", equalTo(arm));
            // a retried report counts once
            FeedbackSource.send(requestId, token, 1, "click").statusCode(409).body("error", containsString("counted already"));
            counts[1]++;
            if (user % 3 == 0) {
                feedback(requestId, token, 1, "add_to_cart").body("arm", equalTo(arm));
                counts[2]++;
            }
            long orders = user % 4;
            for (int o = 0; o < orders; o++) {
                JsonPath again = rank(user);
                assertEquals(arm, again.getString("arm"), "a user stays in one arm");
                counts[0]++;
                String id = again.getString("requestId");
                String itsToken = again.getString("feedbackToken");
                // the funnel: a purchase counts after the same item's click and add-to-cart
                feedback(id, itsToken, 2, "click");
                feedback(id, itsToken, 2, "add_to_cart");
                feedback(id, itsToken, 2, "purchase")
                        .body("arm", equalTo(arm)).body("modelVersion", equalTo(again.getString("modelVersion")));
                counts[1]++;
                counts[2]++;
                counts[3]++;
            }
            ordersPerUserByArm.get(arm).add(orders);
        }

        JsonPath metrics = given().get("/v1/arms/metrics").then().statusCode(200).extract().jsonPath();
        for (String arm : List.of("champion", "candidate")) {
            long[] counts = expected.get(arm);
            List<Long> perUser = ordersPerUserByArm.get(arm);
            assertTrue(perUser.size() > 5, arm + " got only " + perUser.size() + " of 40 users at 50 %");
            String at = "arms." + arm + ".";
            assertEquals(counts[0], metrics.getLong(at + "requests"), arm + " requests");
            assertEquals(perUser.size(), metrics.getLong(at + "users"), arm + " users");
            assertEquals(counts[0] * 3, metrics.getLong(at + "impressions"), arm + " impressions");
            assertEquals(counts[1], metrics.getLong(at + "clicks"), arm + " clicks");
            assertEquals(counts[2], metrics.getLong(at + "carts"), arm + " carts");
            assertEquals(counts[3], metrics.getLong(at + "orders"), arm + " orders");
            assertEquals(0, metrics.getLong(at + "errors"), arm + " errors");
            double mean = perUser.stream().mapToLong(Long::longValue).average().orElseThrow();
            double variance = perUser.stream().mapToDouble(o -> (o - mean) * (o - mean)).sum() / perUser.size();
            assertEquals(mean, metrics.getDouble(at + "ordersPerUser"), 1e-6, arm + " ordersPerUser");
            assertEquals(variance, metrics.getDouble(at + "ordersPerUserVariance"), 1e-6, arm + " ordersPerUserVariance");
            assertEquals((double) counts[1] / (counts[0] * 3), metrics.getDouble(at + "ctr"), 1e-6, arm + " ctr");
            assertTrue(metrics.getDouble(at + "latencyP99Ms") >= metrics.getDouble(at + "latencyP50Ms"));
            assertTrue(metrics.getDouble(at + "latencyP50Ms") > 0);
        }
        assertEquals("1", metrics.getString("arms.champion.modelVersion"));
        assertEquals("2", metrics.getString("arms.candidate.modelVersion"));

        String prometheus = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(prometheus.contains("rankops_ranker_arm_orders{arm=\"candidate\"} " + (double) expected.get("candidate")[3]),
                "Prometheus exports the candidate's orders");
        assertTrue(prometheus.contains("rankops_ranker_rank_latency_seconds{arm=\"champion\",quantile=\"0.99\"}"),
                "Prometheus exports the latency percentiles per arm");
    }

    private JsonPath rank(long user) {
        List<Map<String, Object>> candidates = List.of(Map.of("itemId", 1, "features", features),
                Map.of("itemId", 2, "features", features), Map.of("itemId", 3, "features", features));
        return given().contentType(ContentType.JSON)
                .body(Map.of("userId", user, "region", "US", "candidates", candidates))
                .post("/v1/rank").then().statusCode(200).extract().jsonPath();
    }

    private static io.restassured.response.ValidatableResponse feedback(String requestId, String token, long itemId,
            String event) {
        return FeedbackSource.send(requestId, token, itemId, event).statusCode(202);
    }
}
