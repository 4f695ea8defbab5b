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

    @io.quarkus.test.common.http.TestHTTPResource("/v1/rank")
    java.net.URL rankUrl;

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
        // the feedback source's credential is not an admin credential
        given().auth().preemptive().basic(FeedbackSource.user(), FeedbackSource.password()).get("/admin/models")
                .then().statusCode(401);
        RankerAdmin.request().get("/admin/models")
                .then().statusCode(200).body("champion.version", equalTo("1")).body("candidate", equalTo(null));
        // the serving path stays open
        given().get("/v1/arms/metrics").then().statusCode(200);
    }

    @Test
    void aCallersMistakeIsNoErrorOfTheArm() {
        Map<String, Number> incomplete = new HashMap<>(cases.get(0).features());
        incomplete.remove("discount");
        JsonPath before = given().get("/v1/arms/metrics").then().extract().jsonPath();

        post(Map.of("userId", 1000, "region", "US", "candidates", List.of(Map.of("itemId", 1, "features", incomplete))))
                .statusCode(400).body("error", containsString("'discount'"));
        post(Map.of("userId", 1000, "region", "XX", "candidates", List.of(Map.of("itemId", 1, "features", cases.get(0).features()))))
                .statusCode(400);
        given().contentType(ContentType.JSON).body("{\"userId\": 1000, ").post("/v1/rank").then().statusCode(400);
        post(Map.of("userId", 1000, "region", "US", "candidates", minimalCandidates(5001))).statusCode(413);

        JsonPath after = given().get("/v1/arms/metrics").then().extract().jsonPath();
        assertEquals(before.getLong("arms.champion.errors"), after.getLong("arms.champion.errors"), "arm errors");
        assertEquals(before.getLong("arms.champion.requests"), after.getLong("arms.champion.requests"), "arm requests");
        assertEquals("1", after.getString("arms.champion.modelVersion"));
        String prometheus = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(prometheus.contains("rankops_ranker_rank_rejected_total{status=\"400\"}"), "refusals are counted apart");
    }

    @Test
    void moreCandidatesThanConfiguredIsA413() {
        post(Map.of("userId", 1, "region", "US", "candidates", minimalCandidates(5001)))
                .statusCode(413).body("status", equalTo(413)).body("error", containsString("at most 5000"));
    }

    @Test
    void aBodyOverTheSizeLimitIsA413BeforeItIsRead() throws Exception {
        // Only the headers go out: the ranker answers from Content-Length alone and closes, so the
        // 5 MB are never sent (an HTTP client that insists on sending them sees a broken pipe).
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", rankUrl.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /v1/rank HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + 5 * 1024 * 1024 + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 413 Request Entity Too Large", statusLine);
        }
    }

    @Test
    void requestIdsAreBoundedAndNeverRankedTwice() {
        List<Map<String, Object>> one = List.of(Map.of("itemId", 1, "features", cases.get(0).features()));
        post(Map.of("requestId", "r".repeat(129), "userId", 1, "region", "US", "candidates", one))
                .statusCode(400).body("error", containsString("at most 128"));
        post(Map.of("requestId", "has space", "userId", 1, "region", "US", "candidates", one))
                .statusCode(400).body("error", containsString("printable ASCII"));
        String id = "reused-" + System.nanoTime();
        String token = rank(Map.of("requestId", id, "userId", 1, "region", "US", "candidates", one)).getString("feedbackToken");
        post(Map.of("requestId", id, "userId", 1, "region", "US", "candidates", one))
                .statusCode(409).body("error", containsString("ranked already"));
        // the first list keeps its token: re-ranking cannot reset its feedback
        FeedbackSource.send(id, token, 1, "click").statusCode(202);
    }

    @Test
    void aDuplicateItemIsA400() {
        Map<String, Number> f = cases.get(0).features();
        post(Map.of("userId", 1, "region", "US", "candidates", List.of(Map.of("itemId", 4, "features", f),
                Map.of("itemId", 4, "features", f)))).statusCode(400).body("error", containsString("itemId 4 is listed twice"));
    }

    @Test
    void valuesOutsideTheFeatureSpecAre400sNamingTheField() {
        Map<String, Object> wrong = new LinkedHashMap<>();
        wrong.put("log_price", 1e39);              // finite in JSON, infinite as float32
        wrong.put("discount", new java.math.BigDecimal("1e400"));
        wrong.put("device", -1);                   // categorical ids are non-negative
        wrong.put("seller_id", 1e30);              // beyond int64
        wrong.put("query_id", new java.math.BigInteger("99999999999999999999"));
        for (Map.Entry<String, Object> bad : wrong.entrySet()) {
            Map<String, Object> features = new HashMap<>(cases.get(0).features());
            features.put(bad.getKey(), bad.getValue());
            post(Map.of("userId", 1, "region", "US", "candidates", List.of(Map.of("itemId", 5, "features", features))))
                    .statusCode(400).body("error", containsString("'" + bad.getKey() + "'"));
        }
        // without a region name, region_code must be one of the spec's regions (US, NL, ES, FR)
        Map<String, Object> features = new HashMap<>(cases.get(0).features());
        features.put("region_code", 4);
        post(Map.of("userId", 1, "candidates", List.of(Map.of("itemId", 5, "features", features))))
                .statusCode(400).body("error", containsString("'region_code'"));
        features.put("region_code", 3);
        post(Map.of("userId", 1, "candidates", List.of(Map.of("itemId", 5, "features", features)))).statusCode(200);
    }

    @Test
    void jsonTwoParsersCouldReadDifferentlyIsA400WithTheDocumentedBody() {
        String valid = "{\"userId\": 1, \"region\": \"US\", \"candidates\": [{\"itemId\": 1}]}";
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("duplicate key", "{\"userId\": 1, \"userId\": 2, \"candidates\": [{\"itemId\": 1}]}");
        bodies.put("trailing tokens", valid + " {\"userId\": 2}");
        bodies.put("unknown field", "{\"userId\": 1, \"candidate\": [{\"itemId\": 1}]}");
        bodies.put("deep nesting", "{\"userId\": 1, \"context\": {\"a\": " + "[".repeat(5000) + "]".repeat(5000) + "}}");
        bodies.put("deep nesting in an unknown field", "{\"x\": " + "{\"y\": ".repeat(5000) + "1" + "}".repeat(5001));
        bodies.put("NaN", "{\"userId\": 1, \"context\": {\"hour_of_day\": NaN}, \"candidates\": [{\"itemId\": 1}]}");
        bodies.put("truncated", "{\"userId\": 1, ");
        bodies.put("a number of 1000 digits", "{\"userId\": 1" + "0".repeat(1000) + "}");
        for (Map.Entry<String, String> body : bodies.entrySet()) {
            given().contentType(ContentType.JSON).body(body.getValue()).post("/v1/rank")
                    .then().statusCode(400).contentType(ContentType.JSON)
                    .body("status", equalTo(400)).body("error", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()));
        }
        given().contentType(ContentType.JSON).body(bodies.get("duplicate key")).post("/v1/rank")
                .then().body("error", containsString("userId"));
        given().contentType(ContentType.JSON).body(bodies.get("unknown field")).post("/v1/rank")
                .then().body("error", containsString("'candidate'"));
    }

    private static List<Map<String, Object>> minimalCandidates(int n) {
        List<Map<String, Object>> candidates = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            candidates.add(Map.of("itemId", i));
        }
        return candidates;
    }

    private static io.restassured.response.ValidatableResponse post(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/rank").then();
    }

    private static JsonPath rank(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/rank")
                .then().statusCode(200).extract().jsonPath();
    }
}
