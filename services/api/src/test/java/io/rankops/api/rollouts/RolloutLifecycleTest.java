package io.rankops.api.rollouts;

import static io.rankops.api.support.TestAccounts.ENGINEER;
import static io.rankops.api.support.TestAccounts.RELEASE_MANAGER;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rankops.api.audit.AuditLog;
import io.rankops.api.support.PipelineTestProfile;
import io.rankops.api.support.TestAccounts;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A run with a rollout, through the API on Temporal's test server: approved, its canary holds
 * the first step (an hour-long bake), a release manager pauses and aborts it.
 */
@QuarkusTest
@TestProfile(PipelineTestProfile.class)
class RolloutLifecycleTest {

    static final Duration PATIENCE = Duration.ofSeconds(20);
    static final String RUN_WITH_ROLLOUT = """
            {"modelFamily": "resflow", "trigger": "api",
             "window": {"start": "2025-01-01", "end": "2025-01-14"},
             "gate": {"k": 10, "minWeightedRecall": 0.2, "maxRegression": 0.5},
             "rollout": {"bakeSeconds": 3600}}""";

    @Inject
    TestAccounts accounts;
    @Inject
    AuditLog auditLog;

    private String runStatus(String runId) {
        return accounts.as(ENGINEER).when().get("/api/runs/" + runId).then().statusCode(200).extract().path("run.status");
    }

    @Test
    void aReleaseManagerWatchesPausesAndAbortsTheCanary() {
        String runId = accounts.as(ENGINEER).contentType(ContentType.JSON).body(RUN_WITH_ROLLOUT)
                .when().post("/api/runs").then().statusCode(201).extract().path("id");
        await().atMost(PATIENCE).until(() -> "AWAITING_APPROVAL".equals(runStatus(runId)));
        accounts.as(ENGINEER).when().get("/api/runs/" + runId + "/rollout").then().statusCode(404)
                .body("detail", containsString(runId));

        accounts.as(RELEASE_MANAGER).contentType(ContentType.JSON).body("{\"approved\": true}")
                .when().post("/api/runs/" + runId + "/decision").then().statusCode(200);
        await().atMost(PATIENCE).until(() -> accounts.as(ENGINEER).when().get("/api/runs/" + runId + "/rollout")
                .then().extract().statusCode() == 200);
        accounts.as(ENGINEER).when().get("/api/runs/" + runId + "/rollout").then().statusCode(200)
                .body("trafficPercent", equalTo(5.0f)).body("paused", equalTo(false));

        // Engineers watch; only release managers steer.
        accounts.as(ENGINEER).contentType(ContentType.JSON).body("{}")
                .when().post("/api/runs/" + runId + "/rollout/pause").then().statusCode(403);
        accounts.as(RELEASE_MANAGER).contentType(ContentType.JSON).body("{\"reason\": \"checkout incident\"}")
                .when().post("/api/runs/" + runId + "/rollout/pause").then().statusCode(202);
        await().atMost(PATIENCE).until(() -> Boolean.TRUE.equals(accounts.as(ENGINEER)
                .when().get("/api/runs/" + runId + "/rollout").then().extract().path("paused")));

        accounts.as(RELEASE_MANAGER).contentType(ContentType.JSON).body("{\"reason\": \"wrong features\"}")
                .when().post("/api/runs/" + runId + "/rollout/abort").then().statusCode(202);
        await().atMost(PATIENCE).until(() -> "ROLLED_BACK".equals(runStatus(runId)));
        accounts.as(ENGINEER).when().get("/api/runs/" + runId + "/rollout").then().statusCode(200)
                .body("outcome", equalTo("ABORTED")).body("trafficPercent", equalTo(0.0f));
        accounts.as(RELEASE_MANAGER).contentType(ContentType.JSON).body("{}")
                .when().post("/api/runs/" + runId + "/rollout/resume").then().statusCode(409);

        List<String> actions = QuarkusTransaction.requiringNew().call(() -> auditLog.forSubject(runId)).stream()
                .map(e -> e.action).toList();
        assertEquals(List.of("run.start", "run.approve", "rollout.pause", "rollout.abort"), actions);
    }

    @Test
    void anUnknownRunHasNoRollout() {
        accounts.as(RELEASE_MANAGER).when().get("/api/runs/run-missing/rollout").then().statusCode(404);
        accounts.as(RELEASE_MANAGER).contentType(ContentType.JSON).body("{}")
                .when().post("/api/runs/run-missing/rollout/abort").then().statusCode(404);
    }
}
