package io.rankops.ranker.api;

import static io.restassured.RestAssured.given;
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
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** POST /v1/rank against a champion loaded from the real MLflow + MinIO. */
@QuarkusTest
@TestProfile(RankingResourceTest.Profile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RankingResourceTest {

    public static class Profile extends UniqueModelProfile {
    }

    private static final double TOLERANCE = 1e-5;

    @ConfigProperty(name = "rankops.ranker.model-name")
    String modelName;

    private StackFixture stack;
    private final List<ParityVectors.Case> cases = ParityVectors.load("shared_bottom.parity.json").cases();

    /** Once per class, but in a BeforeEach: RestAssured knows the random test port only from there. */
    @BeforeEach
    void registerChampion() {
        if (stack != null) {
            return;
        }
        stack = new StackFixture(modelName);
        stack.setAlias("champion", stack.addVersion(StackFixture.resource("shared_bottom.onnx")));
        RankerAdmin.request().post("/admin/models/reload")
                .then().statusCode(200).body("champion.version", equalTo("1")).body("champion.family", equalTo("shared_bottom"));
    }

    @AfterAll
    void removeModel() {
        stack.close();
    }

    @Test
    void ranksByFusedScoreWithPythonParity() {
        Map<String, List<Integer>> rowsByRegion = new LinkedHashMap<>();
        for (int i = 0; i < cases.size(); i++) {
            rowsByRegion.computeIfAbsent(cases.get(i).region(), r -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<String, List<Integer>> region : rowsByRegion.entrySet()) {
            List<Map<String, Object>> candidates = new ArrayList<>();
            for (int row : region.getValue()) {
                Map<String, Number> features = new HashMap<>(cases.get(row).features());
                features.remove("region_code"); // the request's region fills it
                candidates.add(Map.of("itemId", 1000 + row, "features", features));
            }

            JsonPath ranked = rank(Map.of("requestId", "parity-" + region.getKey(), "userId", 7, "region", region.getKey(),
                    "context", Map.of(), "candidates", candidates));

            assertEquals("parity-" + region.getKey(), ranked.getString("requestId"));
            assertEquals("champion", ranked.getString("arm"));
            assertEquals("1", ranked.getString("modelVersion"));
            List<Map<String, Object>> items = ranked.getList("items");
            assertEquals(region.getValue().size(), items.size());
            float previous = Float.POSITIVE_INFINITY;
            for (int position = 0; position < items.size(); position++) {
                Map<String, Object> item = items.get(position);
                ParityVectors.Case expected = cases.get(((Number) item.get("itemId")).intValue() - 1000);
                float score = ((Number) item.get("score")).floatValue();
                assertEquals(position, ((Number) item.get("position")).intValue());
                assertTrue(score <= previous, "items are ordered by score, best first");
                previous = score;
                assertEquals(expected.expected().get("score"), score, TOLERANCE, "score of item " + item.get("itemId"));
                @SuppressWarnings("unchecked")
                Map<String, Number> probabilities = (Map<String, Number>) item.get("probabilities");
                assertEquals(List.of("click", "cart", "purchase"), new ArrayList<>(probabilities.keySet()));
                for (String task : probabilities.keySet()) {
                    assertEquals(expected.expected().get("p_" + task), probabilities.get(task).floatValue(), TOLERANCE,
                            "p_" + task + " of item " + item.get("itemId"));
                }
            }
        }
    }

    @Test
    void contextFeaturesAreSharedByAllCandidates() {
        ParityVectors.Case a = cases.get(0);
        Map<String, Number> context = new HashMap<>();
        Map<String, Number> own = new HashMap<>(a.features());
        for (String requestLevel : List.of("user_id", "query_id", "device", "user_segment", "query_category_id",
                "user_activity", "user_price_level", "hour_of_day")) {
            context.put(requestLevel, own.remove(requestLevel));
        }
        own.remove("region_code");

        JsonPath ranked = rank(Map.of("userId", 8, "region", a.region(), "context", context,
                "candidates", List.of(Map.of("itemId", 1, "features", own))));

        assertEquals(a.expected().get("score"), ranked.getFloat("items[0].score"), TOLERANCE);
        assertTrue(ranked.getString("requestId").length() > 8, "a request without an id gets one");
    }

    @Test
    void missingFeatureIsA400NamingIt() {
        Map<String, Number> features = new HashMap<>(cases.get(0).features());
        features.remove("hour_of_day");

        given().contentType(ContentType.JSON)
                .body(Map.of("userId", 1, "region", "US", "candidates", List.of(Map.of("itemId", 5, "features", features))))
                .post("/v1/rank")
                .then().statusCode(400).body("error", containsString("'hour_of_day'")).body("error", containsString("item 5"));
    }

    @Test
    void unknownRegionIsA400() {
        given().contentType(ContentType.JSON)
                .body(Map.of("userId", 1, "region", "XX", "candidates", List.of(Map.of("itemId", 5, "features", cases.get(0).features()))))
                .post("/v1/rank")
                .then().statusCode(400).body("error", containsString("unknown region 'XX'"));
    }

    @Test
    void emptyCandidatesAndMissingUserAre400s() {
        given().contentType(ContentType.JSON).body(Map.of("userId", 1, "region", "US", "candidates", List.of()))
                .post("/v1/rank").then().statusCode(400).body("error", containsString("candidates"));
        given().contentType(ContentType.JSON).body(Map.of("region", "US", "candidates", List.of(Map.of("itemId", 1))))
                .post("/v1/rank").then().statusCode(400).body("error", containsString("userId"));
    }

    @Test
    void fractionalCategoricalIdIsA400() {
        Map<String, Number> features = new HashMap<>(cases.get(0).features());
        features.put("device", 1.5);
        given().contentType(ContentType.JSON)
                .body(Map.of("userId", 1, "region", "US", "candidates", List.of(Map.of("itemId", 5, "features", features))))
                .post("/v1/rank")
                .then().statusCode(400).body("error", containsString("'device'"));
    }

    @Test
    void adminEndpointsNeedTheWorkersCredentials() {
        given().get("/admin/models").then().statusCode(401).header("WWW-Authenticate", containsString("Basic"));
        given().auth().preemptive().basic(RankerAdmin.user(), "wrong").get("/admin/traffic").then().statusCode(401);
        given().auth().preemptive().basic("someone", RankerAdmin.password()).put("/admin/traffic").then().statusCode(401);
        RankerAdmin.request().get("/admin/models")
                .then().statusCode(200).body("champion.version", equalTo("1")).body("candidate", equalTo(null));
        // the serving path stays open
        given().get("/v1/arms/metrics").then().statusCode(200);
    }

    @Test
    void aFailedRankingCountsAsAnErrorOfTheArm() {
        Map<String, Number> incomplete = new HashMap<>(cases.get(0).features());
        incomplete.remove("discount");
        long errorsBefore = given().get("/v1/arms/metrics").then().extract().jsonPath().getLong("arms.champion.errors");

        given().contentType(ContentType.JSON)
                .body(Map.of("userId", 1000, "region", "US", "candidates", List.of(Map.of("itemId", 1, "features", incomplete))))
                .post("/v1/rank").then().statusCode(400);

        given().get("/v1/arms/metrics").then().statusCode(200)
                .body("arms.champion.errors", equalTo((int) errorsBefore + 1))
                .body("arms.champion.modelVersion", equalTo("1"));
    }

    @Test
    void feedbackForAnUnknownRequestOrItemIsA404() {
        given().contentType(ContentType.JSON).body(Map.of("requestId", "never-ranked", "itemId", 1, "event", "click"))
                .post("/v1/feedback").then().statusCode(404).body("error", containsString("never-ranked"));
        String requestId = rank(Map.of("userId", 2000, "region", "US",
                "candidates", List.of(Map.of("itemId", 1, "features", cases.get(0).features())))).getString("requestId");
        given().contentType(ContentType.JSON).body(Map.of("requestId", requestId, "itemId", 99, "event", "click"))
                .post("/v1/feedback").then().statusCode(404).body("error", containsString("item 99"));
        given().contentType(ContentType.JSON).body(Map.of("requestId", requestId, "itemId", 1, "event", "like"))
                .post("/v1/feedback").then().statusCode(400).body("error", containsString("like"));
        given().contentType(ContentType.JSON).body(Map.of("requestId", requestId, "itemId", 1, "event", "purchase"))
                .post("/v1/feedback").then().statusCode(202).body("arm", equalTo("champion")).body("modelVersion", equalTo("1"));
    }

    private static JsonPath rank(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/rank")
                .then().statusCode(200).extract().jsonPath();
    }
}
