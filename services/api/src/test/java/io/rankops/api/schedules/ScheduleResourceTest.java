package io.rankops.api.schedules;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.rankops.api.audit.AuditEntry;
import io.rankops.api.audit.AuditLog;
import io.rankops.api.support.Database;
import io.rankops.api.support.TestAccounts;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.temporal.client.WorkflowClient;
import jakarta.inject.Inject;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Schedules on the stack's real Temporal dev server (the in-process test server has no
 * Schedules). Every schedule gets a unique id, is created paused so nothing fires on its own,
 * and is deleted afterwards; workflows a trigger or backfill started are terminated.
 */
@QuarkusTest
class ScheduleResourceTest {

    /** Temporal starts triggered and backfilled actions asynchronously, within a second or two. */
    private static final long ACTION_WAIT_MILLIS = 20_000;

    @Inject
    TestAccounts accounts;
    @Inject
    Database database;
    @Inject
    AuditLog auditLog;
    @Inject
    RetrainingSchedules schedules;
    @Inject
    WorkflowClient workflows;

    private final List<String> created = new ArrayList<>();
    private final List<String> startedWorkflows = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (String workflowId : startedWorkflows) {
            try {
                workflows.newUntypedWorkflowStub(workflowId).terminate("schedule test cleanup");
            } catch (RuntimeException alreadyGone) {
                // closed, or (for a pipeline run) never started
            }
        }
        for (String id : created) {
            try {
                schedules.delete(id);
            } catch (RuntimeException alreadyGone) {
                // the test deleted it
            }
        }
    }

    private String newId() {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 12);
        created.add(id);
        return id;
    }

    private static String body(String id, String cron, String timezone) {
        return """
                {"id": "%s", "description": "weekly mmoe retrain", "cron": "%s", "timezone": "%s", "windowDays": 7,
                 "paused": true, "run": {"modelFamily": "mmoe", "params": {"epochs": 1}, "regions": ["US"]}}"""
                .formatted(id, cron, timezone);
    }

    private JsonPath create(String body) {
        return accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON).body(body)
                .when().post("/api/schedules")
                .then().statusCode(201).extract().jsonPath();
    }

    private JsonPath get(String id) {
        return accounts.as(TestAccounts.RELEASE_MANAGER).when().get("/api/schedules/" + id)
                .then().statusCode(200).extract().jsonPath();
    }

    private List<String> auditActions(String id) {
        return QuarkusTransaction.requiringNew().call(() -> auditLog.forSubject(ScheduleService.subject(id)))
                .stream().map(e -> e.action).toList();
    }

    private AuditEntry lastAudit(String id) {
        List<AuditEntry> entries = QuarkusTransaction.requiringNew().call(() -> auditLog.forSubject(ScheduleService.subject(id)));
        return entries.get(entries.size() - 1);
    }

    private JsonPath awaitSchedule(String id, Predicate<JsonPath> condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ACTION_WAIT_MILLIS;
        JsonPath schedule = get(id);
        while (!condition.test(schedule) && System.currentTimeMillis() < deadline) {
            Thread.sleep(250);
            schedule = get(id);
        }
        return schedule;
    }

    @Test
    void createsListsPausesUnpausesAndDeletesASchedule() throws InterruptedException {
        String id = newId();
        String user = accounts.username(TestAccounts.ENGINEER);

        JsonPath schedule = create(body(id, "0 3 * * MON", "Europe/Amsterdam"));

        assertEquals(id, schedule.getString("id"));
        assertEquals("0 3 * * MON", schedule.getString("cron"));
        assertEquals("Europe/Amsterdam", schedule.getString("timezone"));
        assertEquals(7, schedule.getInt("windowDays"));
        assertTrue(schedule.getBoolean("paused"));
        assertEquals(user, schedule.getString("createdBy"));
        assertEquals("mmoe", schedule.getString("run.modelFamily"));
        assertEquals(1, schedule.getInt("run.params.epochs"));
        assertEquals(512, schedule.getInt("run.params.batchSize"), "defaults are filled in as for a person's run");
        assertEquals("rankops-ranker", schedule.getString("run.modelName"));

        // Temporal's schedule listing is eventually consistent.
        long deadline = System.currentTimeMillis() + ACTION_WAIT_MILLIS;
        List<String> listed = List.of();
        while (!listed.contains(id) && System.currentTimeMillis() < deadline) {
            listed = accounts.as(TestAccounts.RELEASE_MANAGER).when().get("/api/schedules")
                    .then().statusCode(200).extract().jsonPath().getList("id");
            if (!listed.contains(id)) {
                Thread.sleep(250);
            }
        }
        assertTrue(listed.contains(id), "the list shows the new schedule");

        JsonPath running = accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON).body("{}")
                .when().post("/api/schedules/" + id + "/unpause")
                .then().statusCode(200).body("paused", equalTo(false)).extract().jsonPath();
        List<String> nextRuns = running.getList("nextRuns");
        assertFalse(nextRuns.isEmpty(), "an active schedule has next run times");
        ZonedDateTime next = Instant.parse(nextRuns.get(0)).atZone(ZoneId.of("Europe/Amsterdam"));
        assertEquals(DayOfWeek.MONDAY, next.getDayOfWeek());
        assertEquals(3, next.getHour());
        assertEquals(0, next.getMinute());

        accounts.as(TestAccounts.ADMIN).contentType(ContentType.JSON).body("{\"note\": \"holiday freeze\"}")
                .when().post("/api/schedules/" + id + "/pause")
                .then().statusCode(200).body("paused", equalTo(true)).body("note", equalTo("holiday freeze"));
        accounts.as(TestAccounts.ADMIN).contentType(ContentType.JSON).body("{}")
                .when().post("/api/schedules/" + id + "/pause")
                .then().statusCode(409).body("title", equalTo("conflict"));
        assertTrue(lastAudit(id).afterState.contains("holiday freeze"), lastAudit(id).afterState);

        accounts.as(TestAccounts.ENGINEER).when().delete("/api/schedules/" + id).then().statusCode(204);
        accounts.as(TestAccounts.ENGINEER).when().get("/api/schedules/" + id)
                .then().statusCode(404).contentType(ContentType.JSON).body("title", equalTo("not found"));

        assertEquals(List.of("schedule.create", "schedule.unpause", "schedule.pause", "schedule.delete"), auditActions(id));
        assertEquals(user, QuarkusTransaction.requiringNew()
                .call(() -> auditLog.forSubject(ScheduleService.subject(id)).get(0).actor));
    }

    @Test
    void triggerRunsAPausedScheduleNowOnTheWindowEndingYesterday() throws InterruptedException {
        String id = newId();
        create(body(id, "0 3 * * MON", "UTC"));

        accounts.as(TestAccounts.ENGINEER).when().post("/api/schedules/" + id + "/trigger")
                .then().statusCode(202).body("command", equalTo("trigger"));

        JsonPath schedule = awaitSchedule(id, s -> !s.getList("recentActions").isEmpty());
        List<Map<String, Object>> actions = schedule.getList("recentActions");
        assertEquals(1, actions.size(), "one action: " + actions);
        String workflowId = (String) actions.get(0).get("workflowId");
        String runId = (String) actions.get(0).get("runId");
        startedWorkflows.add(workflowId);
        startedWorkflows.add(runId);
        assertTrue(workflowId.startsWith("sched-" + id + "-"), workflowId);
        String scheduledDay = Instant.parse((String) actions.get(0).get("scheduledAt")).atZone(ZoneId.of("UTC"))
                .toLocalDate().toString();
        assertEquals("run-sched-" + id + "-" + scheduledDay, runId);
        assertTrue(schedule.getBoolean("paused"), "triggering does not unpause");
        assertEquals("ScheduledRunWorkflow", workflows.newUntypedWorkflowStub(workflowId).describe().getWorkflowType());
        assertTrue(auditActions(id).contains("schedule.trigger"));
    }

    @Test
    void backfillRunsEachActionOfTheGivenDays() throws InterruptedException {
        String id = newId();
        create(body(id, "0 3 * * *", "UTC"));

        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON)
                .body("{\"start\": \"2025-01-06\", \"end\": \"2025-01-06\"}")
                .when().post("/api/schedules/" + id + "/backfill")
                .then().statusCode(202).body("command", equalTo("backfill")).body("start", equalTo("2025-01-06"));

        JsonPath schedule = awaitSchedule(id, s -> !s.getList("recentActions").isEmpty());
        List<Map<String, Object>> actions = schedule.getList("recentActions");
        assertEquals(1, actions.size(), "one daily action on one day: " + actions);
        startedWorkflows.add((String) actions.get(0).get("workflowId"));
        startedWorkflows.add((String) actions.get(0).get("runId"));
        assertEquals("2025-01-06T03:00:00Z", actions.get(0).get("scheduledAt"));
        assertEquals("run-sched-" + id + "-2025-01-06", actions.get(0).get("runId"));
        AuditEntry backfill = lastAudit(id);
        assertEquals("schedule.backfill", backfill.action);
        assertTrue(backfill.afterState.contains("2025-01-06"), backfill.afterState);
    }

    @Test
    void aTakenIdIsAConflict() {
        String id = newId();
        create(body(id, "0 3 * * MON", "UTC"));
        long audits = database.count("audit_log");

        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON).body(body(id, "0 4 * * TUE", "UTC"))
                .when().post("/api/schedules")
                .then().statusCode(409).body("title", equalTo("conflict"));

        assertEquals(audits, database.count("audit_log"), "the refused create left no audit entry");
        assertEquals("0 3 * * MON", get(id).getString("cron"));
    }

    static Stream<Arguments> badSchedules() {
        String run = "\"run\": {\"modelFamily\": \"mmoe\"}";
        return Stream.of(
                Arguments.of("{}", new String[] {"id", "cron", "windowDays", "run"}),
                Arguments.of("{\"id\": \"Weekly!\", \"cron\": \"0 3 * * MON\", \"windowDays\": 7, " + run + "}",
                        new String[] {"id"}),
                Arguments.of("{\"id\": \"%s\", \"cron\": \"0 25 * * MON\", \"windowDays\": 7, " + run + "}",
                        new String[] {"cron"}),
                Arguments.of("{\"id\": \"%s\", \"cron\": \"every monday\", \"windowDays\": 7, " + run + "}",
                        new String[] {"cron"}),
                Arguments.of("{\"id\": \"%s\", \"cron\": \"0 3 * * MON\", \"timezone\": \"Mars/Olympus\", \"windowDays\": 2, "
                        + run + "}", new String[] {"timezone", "windowDays"}),
                Arguments.of("""
                        {"id": "%s", "cron": "0 3 * * MON", "windowDays": 91,
                         "run": {"modelFamily": "xgboost", "regions": ["x1"], "params": {"epochs": 0},
                                 "gate": {"k": 5001}, "device": "tpu"}}""",
                        new String[] {"windowDays", "run.modelFamily", "run.regions[0]", "run.params.epochs", "run.gate.k",
                                "run.device"}));
    }

    @ParameterizedTest
    @MethodSource("badSchedules")
    void aBadScheduleNamesEachBadFieldAndCreatesNothing(String template, String[] fields) {
        String id = newId();
        long audits = database.count("audit_log");

        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON).body(template.formatted(id))
                .when().post("/api/schedules")
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("title", equalTo("invalid request"))
                .body("violations.field", hasItems(fields));

        assertEquals(audits, database.count("audit_log"), "no audit entry");
        accounts.as(TestAccounts.ENGINEER).when().get("/api/schedules/" + id).then().statusCode(404);
    }

    @Test
    void aBackfillRunsForwardForAtMostAYear() {
        String id = newId();
        create(body(id, "0 3 * * MON", "UTC"));
        long audits = database.count("audit_log");

        for (String range : List.of("{\"start\": \"2025-02-01\", \"end\": \"2025-01-01\"}",
                "{\"start\": \"2024-01-01\", \"end\": \"2025-01-02\"}")) {
            accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON).body(range)
                    .when().post("/api/schedules/" + id + "/backfill")
                    .then().statusCode(400).body("violations.field", contains("end"));
        }
        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON).body("{\"start\": \"2025-01-01\"}")
                .when().post("/api/schedules/" + id + "/backfill")
                .then().statusCode(400).body("violations.field", contains("end"));

        assertEquals(audits, database.count("audit_log"));
        assertTrue(get(id).getList("recentActions").isEmpty(), "nothing ran");
    }

    @Test
    void anUnknownScheduleIsNotFound() {
        String path = "/api/schedules/t-absent-" + UUID.randomUUID().toString().substring(0, 8);
        long audits = database.count("audit_log");
        accounts.as(TestAccounts.ENGINEER).when().get(path).then().statusCode(404)
                .body("status", equalTo(404)).body("detail", startsWith("schedule '"));
        for (String command : List.of("/pause", "/unpause")) {
            accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON).body("{}").when().post(path + command)
                    .then().statusCode(404);
        }
        accounts.as(TestAccounts.ENGINEER).when().post(path + "/trigger").then().statusCode(404);
        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON)
                .body("{\"start\": \"2025-01-01\", \"end\": \"2025-01-02\"}").when().post(path + "/backfill")
                .then().statusCode(404);
        accounts.as(TestAccounts.ENGINEER).when().delete(path).then().statusCode(404);
        assertEquals(audits, database.count("audit_log"));
    }

    @Test
    void aScheduleMayNotStartRunsMoreOftenThanTheMinimumInterval() {
        long audits = database.count("audit_log");
        for (String cron : List.of("* * * * *", "*/30 * * * *", "@hourly", "0 0,3 * * *")) {
            accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON).body(body(newId(), cron, "UTC"))
                    .when().post("/api/schedules")
                    .then().statusCode(400)
                    .body("violations.field", contains("cron"))
                    .body("violations[0].message", containsString("between runs are required"));
        }
        assertEquals(audits, database.count("audit_log"), "nothing was created");
        create(body(newId(), "0 3,15 * * *", "Europe/Amsterdam")); // twice a day: 12 h apart
    }

    @Test
    void aBackfillStartsAtMostTheConfiguredNumberOfRuns() {
        String id = newId();
        create(body(id, "0 3 * * *", "UTC"));
        // A daily schedule over two months: 59 runs, more than 31 at once.
        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON)
                .body("{\"start\": \"2025-01-01\", \"end\": \"2025-02-28\"}")
                .when().post("/api/schedules/" + id + "/backfill")
                .then().statusCode(400)
                .body("violations.field", contains("end"))
                .body("violations[0].message", containsString("more than 31 runs"));
        assertEquals(List.of("schedule.create"), auditActions(id));
        assertTrue(get(id).getList("recentActions").isEmpty(), "nothing ran");
    }

    @Test
    void onlyTheScheduleOwnerOrAnAdminCommandsIt() {
        String id = newId();
        create(body(id, "0 3 * * MON", "UTC"));
        String owner = accounts.username(TestAccounts.ENGINEER);
        accounts.as(TestAccounts.OTHER_ENGINEER).when().post("/api/schedules/" + id + "/trigger")
                .then().statusCode(403).body("detail", containsString("only " + owner));
        accounts.as(TestAccounts.OTHER_ENGINEER).contentType(ContentType.JSON)
                .body("{\"start\": \"2025-01-06\", \"end\": \"2025-01-06\"}")
                .when().post("/api/schedules/" + id + "/backfill").then().statusCode(403);
        accounts.as(TestAccounts.OTHER_ENGINEER).contentType(ContentType.JSON).body("{}")
                .when().post("/api/schedules/" + id + "/unpause").then().statusCode(403);
        accounts.as(TestAccounts.OTHER_ENGINEER).when().delete("/api/schedules/" + id).then().statusCode(403);
        assertEquals(List.of("schedule.create"), auditActions(id));
        accounts.as(TestAccounts.ADMIN).when().delete("/api/schedules/" + id).then().statusCode(204);
    }
}
