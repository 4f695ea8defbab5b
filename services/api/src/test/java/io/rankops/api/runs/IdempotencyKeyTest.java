package io.rankops.api.runs;

import static io.rankops.api.support.TestAccounts.ADMIN;
import static io.rankops.api.support.TestAccounts.ENGINEER;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rankops.api.audit.AuditLog;
import io.rankops.api.support.Database;
import io.rankops.api.support.PipelineTestProfile;
import io.rankops.api.support.TestAccounts;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.temporal.client.WorkflowClient;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** POST /api/runs with an Idempotency-Key: retries get the first request's run, never a second one. */
@QuarkusTest
@TestProfile(PipelineTestProfile.class)
class IdempotencyKeyTest {

    static final String RUN = """
            {"modelFamily": "mmoe", "window": {"start": "2025-02-01", "end": "2025-02-07"}}""";

    @Inject
    TestAccounts accounts;
    @Inject
    Database database;
    @Inject
    AuditLog auditLog;
    @Inject
    WorkflowClient temporal;

    private Response post(String account, String key, String body) {
        return accounts.as(account).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .when().post("/api/runs");
    }

    private long runStarts(String runId) {
        return QuarkusTransaction.requiringNew().call(() -> auditLog.forSubject(runId)).stream()
                .filter(e -> e.action.equals("run.start")).count();
    }

    @Test
    void aRetryWithTheSameKeyGetsTheSameRunAnd200() {
        String key = UUID.randomUUID().toString();
        String first = post(ENGINEER, key, RUN).then().statusCode(201).extract().path("id");
        post(ENGINEER, key, RUN).then().statusCode(200)
                .header("Idempotent-Replayed", "true")
                .header("Location", containsString("/api/runs/" + first))
                .body("id", equalTo(first));
        // Spelling out a default is the same request.
        post(ENGINEER, key, RUN.replace("}}", "}, \"device\": \"auto\"}")).then().statusCode(200).body("id", equalTo(first));

        assertEquals(1, runStarts(first));
        assertEquals(1, database.count("SELECT count(*) FROM pipeline_run WHERE id = ?", first));
        assertEquals(first, temporal.newUntypedWorkflowStub(first).describe().getExecution().getWorkflowId());
    }

    @Test
    void theSameKeyWithAnotherRequestIs422AndStartsNothing() {
        String key = UUID.randomUUID().toString();
        String first = post(ENGINEER, key, RUN).then().statusCode(201).extract().path("id");
        long runs = database.count("pipeline_run");
        post(ENGINEER, key, RUN.replace("mmoe", "ple")).then().statusCode(422)
                .contentType(ContentType.JSON)
                .body("detail", containsString(first));
        assertEquals(runs, database.count("pipeline_run"));
    }

    @Test
    void keysBelongToTheirUser() {
        String key = UUID.randomUUID().toString();
        String engineers = post(ENGINEER, key, RUN).then().statusCode(201).extract().path("id");
        String admins = post(ADMIN, key, RUN).then().statusCode(201).extract().path("id");
        assertNotEquals(engineers, admins);
    }

    @Test
    void aMalformedKeyIsA400() {
        long runs = database.count("pipeline_run");
        for (String key : new String[] {"has space", "x".repeat(RunCommands.MAX_IDEMPOTENCY_KEY + 1), "tab\tkey"}) {
            post(ENGINEER, key, RUN).then().statusCode(400).body("violations.field", hasItem("Idempotency-Key"));
        }
        assertEquals(runs, database.count("pipeline_run"));
    }

    @Test
    void concurrentDuplicatesStartEachRunOnce() throws Exception {
        int keys = 8;
        List<String> keyList = new ArrayList<>();
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            String key = UUID.randomUUID().toString();
            keyList.add(key);
            for (int copy = 0; copy < 2; copy++) {
                calls.add(() -> post(ENGINEER, key, RUN));
            }
        }
        long runs = database.count("pipeline_run");
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        Map<String, List<Response>> byKey = new HashMap<>();
        try {
            List<Future<Response>> answers = pool.invokeAll(calls);
            for (int i = 0; i < answers.size(); i++) {
                byKey.computeIfAbsent(keyList.get(i / 2), k -> new ArrayList<>()).add(answers.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
        for (Map.Entry<String, List<Response>> entry : byKey.entrySet()) {
            List<Integer> statuses = entry.getValue().stream().map(Response::statusCode).sorted().toList();
            assertEquals(List.of(200, 201), statuses, "key " + entry.getKey() + ": one start, one replay");
            String a = entry.getValue().get(0).path("id");
            String b = entry.getValue().get(1).path("id");
            assertEquals(a, b);
            assertEquals(1, runStarts(a));
        }
        assertEquals(runs + keys, database.count("pipeline_run"));
    }
}
