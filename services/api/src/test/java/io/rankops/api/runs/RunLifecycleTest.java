package io.rankops.api.runs;

import static io.rankops.api.support.TestAccounts.ADMIN;
import static io.rankops.api.support.TestAccounts.ENGINEER;
import static io.rankops.api.support.TestAccounts.OTHER_ENGINEER;
import static io.rankops.api.support.TestAccounts.RELEASE_MANAGER;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rankops.api.audit.AuditEntry;
import io.rankops.api.audit.AuditLog;
import io.rankops.api.support.PipelineTestProfile;
import io.rankops.api.support.TemporalTestServer;
import io.rankops.api.support.TestAccounts;
import io.rankops.workflows.pipeline.ApprovalDecision;
import io.rankops.workflows.pipeline.TrainingPipelineWorkflow;
import io.restassured.http.ContentType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowUpdateException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Runs through the API end to end on Temporal's test server: the real pipeline workflow with
 * fake activities, so every run reaches AWAIT_APPROVAL (or fails its gate) in a moment.
 */
@QuarkusTest
@TestProfile(PipelineTestProfile.class)
class RunLifecycleTest {

    static final Duration PATIENCE = Duration.ofSeconds(20);
    static final String RUN = """
            {"modelFamily": "resflow", "trigger": "ui", "regions": ["US", "NL"],
             "window": {"start": "2025-01-01", "end": "2025-01-14"},
             "params": {"epochs": 2, "taskLossWeights": {"purchase": 2.0}},
             "gate": {"k": 10, "minWeightedRecall": 0.2, "maxRegression": 0.05, "regionFloors": {"US": 0.3}}}""";

    @Inject
    TestAccounts accounts;
    @Inject
    AuditLog auditLog;
    @Inject
    RunReconciler reconciler;
    @Inject
    PipelineWorkflows workflows;
    @Inject
    WorkflowClient client;

    private String start(String account, String body) {
        return accounts.as(account).contentType(ContentType.JSON).body(body)
                .when().post("/api/runs")
                .then().statusCode(201)
                .header("Location", containsString("/api/runs/run-"))
                .body("id", startsWith("run-"))
                .body("triggeredBy", equalTo(accounts.username(account)))
                .extract().path("id");
    }

    private void awaitStatus(String runId, String status) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> status.equals(
                accounts.as(ENGINEER).when().get("/api/runs/" + runId).then().statusCode(200)
                        .extract().path("run.status")));
    }

    private List<String> auditActions(String runId) {
        return QuarkusTransaction.requiringNew().call(() -> auditLog.forSubject(runId)).stream()
                .map(e -> e.action).toList();
    }

    @Test
    void aRunReachesApprovalWithItsStepsScoresAndLinks() {
        String runId = start(ENGINEER, RUN);
        awaitStatus(runId, "AWAITING_APPROVAL");

        accounts.as(RELEASE_MANAGER).when().get("/api/runs/" + runId)
                .then().statusCode(200)
                .body("run.trigger", equalTo("ui"))
                .body("run.modelFamily", equalTo("resflow"))
                .body("parameters.triggeredBy", equalTo(accounts.username(ENGINEER)))
                .body("parameters.gate.regionFloors.US", equalTo(0.3f))
                .body("steps.step", hasItem("extract"))
                .body("steps.findAll { it.step == 'register' }.status", hasItem("completed"))
                .body("live.step", equalTo("AWAIT_APPROVAL"))
                .body("live.registered.version", equalTo("2"))
                .body("links.temporal", containsString("/namespaces/default/workflows/" + runId));

        accounts.as(RELEASE_MANAGER).when().get("/api/approvals")
                .then().statusCode(200)
                .body("find { it.run.id == '" + runId + "' }.candidate.weightedRecallAtK.'10'",
                        equalTo((float) TemporalTestServer.CANDIDATE_WR_AT_10))
                .body("find { it.run.id == '" + runId + "' }.champion.weightedRecallAtK.'10'",
                        equalTo((float) TemporalTestServer.CHAMPION_WR_AT_10))
                .body("find { it.run.id == '" + runId + "' }.gate.passed", equalTo(true))
                .body("find { it.run.id == '" + runId + "' }.deadlineMillis", not(equalTo(null)));

        accounts.as(ADMIN).queryParam("triggeredBy", accounts.username(ENGINEER))
                .queryParam("status", "AWAITING_APPROVAL").queryParam("size", 100)
                .when().get("/api/runs")
                .then().statusCode(200)
                .body("items.id", hasItem(runId))
                .body("items.triggeredBy.unique()", equalTo(List.of(accounts.username(ENGINEER))))
                .body("size", equalTo(100));

        assertEquals(List.of("run.start"), auditActions(runId));
    }

    /** A workflow terminated in Temporal records no last step: the reconciler closes its row. */
    @Test
    void aRunWhoseWorkflowIsTerminatedOutsideIsClosedAsTerminated() {
        String runId = start(ENGINEER, RUN);
        awaitStatus(runId, "AWAITING_APPROVAL");
        assertTrue(reconciler.reconcile(Duration.ZERO).stream().noneMatch(runId::equals), "a running workflow stays open");

        workflows.terminate(runId, "an operator stopped it in the Temporal UI");
        await().atMost(PATIENCE).until(() -> reconciler.reconcile(Duration.ZERO).contains(runId)
                || "TERMINATED".equals(status(runId)));

        accounts.as(ENGINEER).when().get("/api/runs/" + runId)
                .then().statusCode(200)
                .body("run.status", equalTo("TERMINATED"))
                .body("run.reason", equalTo("the workflow was terminated in Temporal"));
        assertEquals(List.of("run.start", "run.terminated"), auditActions(runId));
    }

    private String status(String runId) {
        return accounts.as(ENGINEER).when().get("/api/runs/" + runId).then().extract().path("run.status");
    }

    @Test
    void theTriggerCannotApproveTheirOwnRun() {
        String runId = start(ADMIN, RUN);
        awaitStatus(runId, "AWAITING_APPROVAL");

        accounts.as(ADMIN).contentType(ContentType.JSON).body("{\"approved\": true}")
                .when().post("/api/runs/" + runId + "/decision")
                .then().statusCode(403)
                .body("detail", containsString("four-eyes"));

        assertEquals(List.of("run.start", "run.decision.refused"), auditActions(runId));
        awaitStatus(runId, "AWAITING_APPROVAL");
    }

    /** Whoever reaches Temporal can send a decide update naming any approver; the workflow asks the API. */
    @Test
    void aDecisionSentStraightToTemporalDecidesNothing() {
        String runId = start(ENGINEER, RUN);
        awaitStatus(runId, "AWAITING_APPROVAL");
        TrainingPipelineWorkflow stub = client.newWorkflowStub(TrainingPipelineWorkflow.class, runId);
        String rita = accounts.username(RELEASE_MANAGER);

        WorkflowUpdateException noId = assertThrows(WorkflowUpdateException.class,
                () -> stub.decide(new ApprovalDecision(rita, true, "forged", null)));
        assertTrue(String.valueOf(noId.getCause().getMessage()).contains("made through the rankops API"), noId.toString());
        String madeUp = UUID.randomUUID().toString();
        WorkflowUpdateException unknownId = assertThrows(WorkflowUpdateException.class,
                () -> stub.decide(new ApprovalDecision(rita, true, "forged", madeUp)));
        assertTrue(String.valueOf(unknownId.getCause().getMessage()).contains("no decision " + madeUp + " was recorded"),
                unknownId.toString());
        assertEquals(null, stub.status().decision());
        awaitStatus(runId, "AWAITING_APPROVAL");

        String used = accounts.as(RELEASE_MANAGER).contentType(ContentType.JSON).body("{\"approved\": true}")
                .when().post("/api/runs/" + runId + "/decision")
                .then().statusCode(200)
                .body("decision.approver", equalTo(rita))
                .body("decision.decisionId", not(equalTo(null)))
                .extract().path("decision.decisionId");
        awaitStatus(runId, "APPROVED");
        assertEquals(List.of("run.start", "run.approve"), auditActions(runId));

        // A real decision id, seen in that answer, replayed on another run: recorded for the first run only.
        String other = start(ENGINEER, RUN);
        awaitStatus(other, "AWAITING_APPROVAL");
        WorkflowUpdateException replayed = assertThrows(WorkflowUpdateException.class,
                () -> client.newWorkflowStub(TrainingPipelineWorkflow.class, other)
                        .decide(new ApprovalDecision(rita, true, "replayed", used)));
        assertTrue(String.valueOf(replayed.getCause().getMessage()).contains("was recorded for run " + other),
                replayed.toString());
        awaitStatus(other, "AWAITING_APPROVAL");
    }

    @Test
    void aRejectionNeedsACommentAndAnApprovalClosesTheRun() {
        String runId = start(ENGINEER, RUN);
        awaitStatus(runId, "AWAITING_APPROVAL");

        accounts.as(RELEASE_MANAGER).contentType(ContentType.JSON).body("{\"approved\": false}")
                .when().post("/api/runs/" + runId + "/decision")
                .then().statusCode(409)
                .body("detail", containsString("comment"));

        accounts.as(RELEASE_MANAGER).contentType(ContentType.JSON).body("{\"approved\": true, \"comment\": \"ship it\"}")
                .when().post("/api/runs/" + runId + "/decision")
                .then().statusCode(200)
                .body("decision.approver", equalTo(accounts.username(RELEASE_MANAGER)));
        awaitStatus(runId, "APPROVED");

        accounts.as(RELEASE_MANAGER).contentType(ContentType.JSON).body("{\"approved\": true}")
                .when().post("/api/runs/" + runId + "/decision")
                .then().statusCode(409).body("detail", containsString("closed"));

        List<AuditEntry> audit = QuarkusTransaction.requiringNew().call(() -> auditLog.forSubject(runId));
        AuditEntry approval = audit.stream().filter(e -> e.action.equals("run.approve")).findFirst().orElseThrow();
        assertEquals(accounts.username(RELEASE_MANAGER), approval.actor);
        assertTrue(approval.beforeState.contains("AWAITING_APPROVAL"), approval.beforeState);
        assertTrue(approval.afterState.contains("ship it"), approval.afterState);
        assertEquals(1, audit.stream().filter(e -> e.action.equals("run.decision.refused")).count(),
                "the refused rejection without comment is on record");

        accounts.as(ENGINEER).when().get("/api/runs/" + runId)
                .then().statusCode(200)
                .body("run.outcome", equalTo("APPROVED"))
                .body("run.reason", containsString(accounts.username(RELEASE_MANAGER)))
                .body("result.outcome", equalTo("APPROVED"));
    }

    @Test
    void theEventStreamOfAClosedRunSendsItsFinalStateAndEnds() {
        String runId = start(ENGINEER, RUN.replace("\"minWeightedRecall\": 0.2", "\"minWeightedRecall\": 0.99"));
        awaitStatus(runId, "GATE_FAILED");

        String stream = accounts.as(ENGINEER).accept("text/event-stream")
                .when().get("/api/runs/" + runId + "/events")
                .then().statusCode(200).contentType(containsString("text/event-stream"))
                .extract().asString();
        assertTrue(stream.contains("\"status\":\"GATE_FAILED\""), stream);
        assertTrue(stream.contains("\"open\":false"), stream);
        assertEquals(1, stream.lines().filter(l -> l.startsWith("data:")).count(), stream);
    }

    @Test
    void onlyTheTriggerOrAnAdminCancelsAndTheRunEndsCancelled() {
        String runId = start(ENGINEER, RUN);
        awaitStatus(runId, "AWAITING_APPROVAL");

        accounts.as(OTHER_ENGINEER).when().post("/api/runs/" + runId + "/cancel").then().statusCode(403);
        accounts.as(RELEASE_MANAGER).when().post("/api/runs/" + runId + "/cancel").then().statusCode(403);
        accounts.as(ENGINEER).when().post("/api/runs/" + runId + "/cancel")
                .then().statusCode(202).body("status", equalTo("CANCEL_REQUESTED"));
        awaitStatus(runId, "CANCELLED");
        accounts.as(ADMIN).when().post("/api/runs/" + runId + "/cancel").then().statusCode(409);

        assertEquals(List.of("run.start", "run.cancel"), auditActions(runId));
    }
}
