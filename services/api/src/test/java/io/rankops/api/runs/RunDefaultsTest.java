package io.rankops.api.runs;

import static io.rankops.api.support.TestAccounts.ENGINEER;
import static io.rankops.api.support.TestAccounts.RELEASE_MANAGER;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rankops.api.support.PipelineTestProfile;
import io.rankops.api.support.TestAccounts;
import io.rankops.workflows.rollout.CanaryDecision;
import io.rankops.workflows.rollout.CanaryVerdict;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The defaults a form reads are the ones a run gets; what Approve will do is stated; numbers
 * the analysis could not compute leave the API as null, not as the string "NaN".
 */
@QuarkusTest
@TestProfile(PipelineTestProfile.class)
class RunDefaultsTest {

    static final Duration PATIENCE = Duration.ofSeconds(20);

    @Inject
    TestAccounts accounts;
    @Inject
    ObjectMapper json;

    @Test
    void theDefaultsEndpointIsWhatAMinimalRunGets() throws Exception {
        JsonNode defaults = json.readTree(accounts.as(RELEASE_MANAGER).when().get("/api/runs/defaults")
                .then().statusCode(200).extract().asString());
        accounts.as(ENGINEER).when().get("/api/runs/defaults").then().statusCode(200)
                .body("modelFamilies", hasItems("resflow", "seq_md")).body("rollout.stepsPercent", hasItems(5.0f, 100.0f));

        String runId = accounts.as(ENGINEER).contentType(ContentType.JSON)
                .body("{\"modelFamily\": \"mmoe\", \"window\": {\"start\": \"2025-01-01\", \"end\": \"2025-01-14\"},"
                        + " \"rollout\": {}}")
                .when().post("/api/runs").then().statusCode(201).extract().path("id");
        JsonNode stored = json.readTree(accounts.as(ENGINEER).when().get("/api/runs/" + runId).then().statusCode(200)
                .extract().asString()).path("parameters");

        assertEquals(defaults.path("modelName").asText(), stored.path("modelName").asText());
        assertEquals(defaults.path("device").asText(), stored.path("device").asText());
        assertEquals(defaults.path("regionMask").asBoolean(), stored.path("regionMask").asBoolean());
        for (String field : List.of("epochs", "batchSize", "learningRate", "embeddingDim", "patience", "seed")) {
            assertEquals(defaults.path("params").path(field).asDouble(), stored.path("params").path(field).asDouble(), field);
        }
        assertEquals(defaults.path("gate").path("k").asInt(), stored.path("gate").path("k").asInt());
        assertEquals(defaults.path("gate").path("minWeightedRecall").asDouble(),
                stored.path("gate").path("minWeightedRecall").asDouble());
        assertEquals(defaults.path("rollout").path("minUsersPerArm").asLong(),
                stored.path("rollout").path("minUsersPerArm").asLong());
        assertEquals(defaults.path("rollout").path("stepsPercent"), stored.path("rollout").path("stepsPercent"));
        assertEquals(Duration.ofSeconds(defaults.path("rollout").path("bakeSeconds").asLong()),
                json.treeToValue(stored.path("rollout").path("bake"), Duration.class));

        // A canary asked for with defaults: the approval card says so, with the same numbers.
        await().atMost(PATIENCE).until(() -> "AWAITING_APPROVAL".equals(accounts.as(ENGINEER).when()
                .get("/api/runs/" + runId).then().extract().path("run.status")));
        JsonNode plan = planOf(runId);
        assertEquals("CANARY", plan.path("action").asText());
        assertEquals(defaults.path("rollout").path("stepsPercent"), plan.path("stepsPercent"));
        assertEquals(defaults.path("rollout").path("bakeSeconds").asLong(), plan.path("bakeSeconds").asLong());
        assertEquals("2", plan.path("candidateVersion").asText());
        accounts.as(RELEASE_MANAGER).contentType(ContentType.JSON).body("{\"approved\": false, \"comment\": \"test\"}")
                .when().post("/api/runs/" + runId + "/decision").then().statusCode(200);
    }

    @Test
    void withoutARolloutApprovePromotesAtOnce() throws Exception {
        String runId = accounts.as(ENGINEER).contentType(ContentType.JSON)
                .body("{\"modelFamily\": \"ple\", \"window\": {\"start\": \"2025-01-01\", \"end\": \"2025-01-14\"}}")
                .when().post("/api/runs").then().statusCode(201).extract().path("id");
        await().atMost(PATIENCE).until(() -> "AWAITING_APPROVAL".equals(accounts.as(ENGINEER).when()
                .get("/api/runs/" + runId).then().extract().path("run.status")));

        JsonNode plan = planOf(runId);
        assertEquals("PROMOTE", plan.path("action").asText());
        assertTrue(plan.path("stepsPercent").isNull());
        accounts.as(RELEASE_MANAGER).contentType(ContentType.JSON).body("{\"approved\": true}")
                .when().post("/api/runs/" + runId + "/decision").then().statusCode(200);
        await().atMost(PATIENCE).until(() -> "APPROVED".equals(accounts.as(ENGINEER).when()
                .get("/api/runs/" + runId).then().extract().path("run.status")));
        accounts.as(ENGINEER).when().get("/api/runs/" + runId).then().statusCode(200)
                .body("run.reason", org.hamcrest.Matchers.containsString("version 2 is champion"));
    }

    @Test
    void nonFiniteNumbersAreNullInEveryResponse() throws Exception {
        CanaryDecision unjudged = new CanaryDecision(5, CanaryVerdict.EXTEND, List.of("too few users"), Double.NaN, 0.31,
                0, 40, Double.NaN, 0, null, null);
        CanaryDecision certain = new CanaryDecision(5, CanaryVerdict.ROLL_BACK, List.of("fewer orders"), 0.30, 0.10,
                500, 50, Double.NEGATIVE_INFINITY, 0, CanaryDecision.BASELINE, null);

        JsonNode written = json.readTree(json.writeValueAsString(Map.of("a", unjudged, "b", certain,
                "metrics", Map.of("loss", Double.POSITIVE_INFINITY, "auc", 0.7f))));

        assertTrue(written.path("a").path("zScore").isNull(), written.toString());
        assertTrue(written.path("a").path("championOrdersPerUser").isNull());
        assertTrue(written.path("b").path("zScore").isNull());
        assertEquals(0.30, written.path("b").path("championOrdersPerUser").asDouble());
        assertTrue(written.path("metrics").path("loss").isNull());
        assertFalse(written.toString().contains("NaN") || written.toString().contains("Infinity"), written.toString());
    }

    @Test
    void theOpenApiDocumentSaysWhichRolloutNumbersMayBeNull() {
        accounts.as(ENGINEER).when().get("/q/openapi?format=json").then().statusCode(200)
                // OpenAPI 3.1 says "nullable" as a type list with "null".
                .body("components.schemas.Decision.properties.zScore.type", hasItems("number", "null"))
                .body("components.schemas.Decision.properties.championOrdersPerUser.type", hasItems("number", "null"));
    }

    private JsonNode planOf(String runId) throws Exception {
        JsonNode pending = json.readTree(accounts.as(RELEASE_MANAGER).when().get("/api/approvals").then().statusCode(200)
                .extract().asString());
        for (JsonNode approval : pending) {
            if (runId.equals(approval.path("run").path("id").asText())) {
                return approval.path("plan");
            }
        }
        throw new AssertionError("run " + runId + " is not in the approvals inbox: " + pending);
    }
}
