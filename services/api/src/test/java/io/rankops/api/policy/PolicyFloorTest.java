package io.rankops.api.policy;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.rankops.api.audit.AuditLog;
import io.rankops.api.support.TestAccounts;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The platform owns the floor a run is judged by: a run may tighten it, never loosen it. */
@QuarkusTest
class PolicyFloorTest {

    static final String STRICT = """
            {"maxK": 10, "minWeightedRecall": 0.3, "maxRegression": 0.02, "requireCanary": true, "minBakeSeconds": 600,
             "minUsersPerArm": 200, "maxFirstStepPercent": 10, "minSteps": 3,
             "maxPrerankK": 50}""";

    @Inject
    TestAccounts accounts;
    @Inject
    AuditLog audit;
    @Inject
    EntityManager db;

    @AfterEach
    void backToTheConfiguredFloor() {
        QuarkusTransaction.requiringNew().run(() -> db.createNativeQuery("DELETE FROM platform_policy").executeUpdate());
    }

    private void setStrictFloor() {
        accounts.as(TestAccounts.ADMIN).contentType(ContentType.JSON).body(STRICT)
                .when().put("/api/policy")
                .then().statusCode(200)
                .body("floor.minWeightedRecall", equalTo(0.3f))
                .body("updatedBy", equalTo(accounts.username(TestAccounts.ADMIN)));
    }

    @Test
    void onlyAnAdminSetsTheFloorAndTheChangeIsAudited() {
        accounts.as(TestAccounts.ENGINEER).when().get("/api/policy").then().statusCode(200)
                .body("floor.minWeightedRecall", equalTo(0.05f)).body("updatedBy", equalTo(null));
        for (String account : List.of(TestAccounts.ENGINEER, TestAccounts.RELEASE_MANAGER)) {
            accounts.as(account).contentType(ContentType.JSON).body(STRICT).when().put("/api/policy").then().statusCode(403);
        }
        accounts.as(TestAccounts.ADMIN).contentType(ContentType.JSON).body("{\"minWeightedRecall\": 2}")
                .when().put("/api/policy").then().statusCode(400);
        // Read strictly, as every body: "1" is no number, an unknown field no floor.
        accounts.as(TestAccounts.ADMIN).contentType(ContentType.JSON).body(STRICT.replace("600", "\"600\""))
                .when().put("/api/policy").then().statusCode(400);
        accounts.as(TestAccounts.ADMIN).contentType(ContentType.JSON).body(STRICT.replace("{", "{\"extra\": 1, "))
                .when().put("/api/policy").then().statusCode(400);
        setStrictFloor();
        var entries = QuarkusTransaction.requiringNew().call(() -> audit.forSubject("policy:floor"));
        var last = entries.get(entries.size() - 1);
        assertEquals("policy.update", last.action);
        assertEquals(accounts.username(TestAccounts.ADMIN), last.actor);
    }

    @Test
    void aRunLooserThanTheFloorIsRefusedNamingEachField() {
        String loose = """
                {"modelFamily": "mmoe", "window": {"start": "2025-01-01", "end": "2025-01-07"},
                 "params": {"taskLossWeights": {"click": 0, "purchase": 0}},
                 "gate": {"k": 100, "minWeightedRecall": 0.0, "maxRegression": 0.5},
                 "rollout": {"bakeSeconds": 10, "stepsPercent": [100], "minUsersPerArm": 1}}""";
        // The configured local floor already refuses the zero gate, the zero weights and the lone step ...
        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON).body(loose).when().post("/api/runs")
                .then().statusCode(400)
                .body("violations.field", hasItems("gate.k", "gate.minWeightedRecall", "params.taskLossWeights",
                        "rollout.minUsersPerArm", "rollout.stepsPercent"));
        // ... and an admin's stricter floor refuses what was fine a moment ago.
        setStrictFloor();
        String fine = """
                {"modelFamily": "mmoe", "window": {"start": "2025-01-01", "end": "2025-01-07"},
                 "gate": {"minWeightedRecall": 0.2, "maxRegression": 0.05}}""";
        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON).body(fine).when().post("/api/runs")
                .then().statusCode(400)
                .body("violations.field", hasItems("gate.minWeightedRecall", "gate.maxRegression", "rollout"))
                .body("detail", containsString("GET /api/policy"));
    }

    @Test
    void aPrerankGateIsHeldToThePrerankK() {
        String run = """
                {"modelFamily": "mmoe", "window": {"start": "2025-01-01", "end": "2025-01-07"},
                 "gate": {"metric": "prerank_wr", "k": %d}}""";
        // K 100 over the candidate set is what the configured floor allows for a pre-rank gate (not for WR@K) ...
        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON).body(run.formatted(101)).when().post("/api/runs")
                .then().statusCode(400).body("violations.field", hasItems("gate.k"))
                .body("violations.find { it.field == 'gate.k' }.message", containsString("at most 100 for prerank_wr"));
        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON)
                .body(run.formatted(100).replace("prerank_wr", "displayed_wr")).when().post("/api/runs")
                .then().statusCode(400).body("violations.find { it.field == 'gate.k' }.message", containsString("K at most 20"));
        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON)
                .body(run.formatted(100).replace("prerank_wr", "recall")).when().post("/api/runs")
                .then().statusCode(400).body("violations.field", hasItems("gate.metric"));
        // Engagement weights: known kinds only, and not all zero.
        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON)
                .body(run.formatted(80).replace("}}", ", \"engagementWeights\": {\"view\": 1}}}")).when().post("/api/runs")
                .then().statusCode(400).body("violations.field", hasItem(startsWith("gate.engagementWeights")));
        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON)
                .body(run.formatted(80).replace("}}", ", \"engagementWeights\": {\"click\": 0, \"order\": 0}}}"))
                .when().post("/api/runs")
                .then().statusCode(400).body("violations.find { it.field == 'gate.engagementWeights' }.message",
                        containsString("every weight is 0"));
        // ... and a floor stored before maxPrerankK existed reads the configured one.
        QuarkusTransaction.requiringNew().run(() -> db.createNativeQuery(
                "INSERT INTO platform_policy (id, floor, updated_by) VALUES (1, CAST(?1 AS JSONB), 'ada')")
                .setParameter(1, STRICT.replaceAll(",\\s*\"maxPrerankK\": 50", "")).executeUpdate());
        accounts.as(TestAccounts.ENGINEER).when().get("/api/policy").then().statusCode(200)
                .body("floor.maxPrerankK", equalTo(100)).body("floor.maxK", equalTo(10));
    }
}
