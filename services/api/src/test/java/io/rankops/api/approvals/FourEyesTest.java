package io.rankops.api.approvals;

import static io.rankops.api.support.TestAccounts.ADMIN;
import static io.rankops.api.support.TestAccounts.ENGINEER;
import static io.rankops.api.support.TestAccounts.RELEASE_MANAGER;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.rankops.api.audit.AuditLog;
import io.rankops.api.runs.Run;
import io.rankops.api.runs.RunStatus;
import io.rankops.api.support.TestAccounts;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Four-eyes for runs no person started by hand: whoever made a schedule start runs is accountable
 * for them. The refusal comes from the API's own records, before any Temporal call.
 */
@QuarkusTest
class FourEyesTest {

    @Inject
    TestAccounts accounts;
    @Inject
    AuditLog audit;
    @Inject
    Accountability accountability;

    /** A scheduled run waiting for approval, as the ledger opens one (no workflow is needed to refuse). */
    private Run scheduledRun(String scheduleId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Run run = new Run();
            run.id = "run-sched-" + scheduleId + "-2026-11-30";
            run.modelName = "rankops-ranker";
            run.modelFamily = "resflow";
            run.windowStart = LocalDate.of(2026, 11, 23);
            run.windowEnd = LocalDate.of(2026, 11, 29);
            run.parameters = "{}";
            run.triggeredBy = "schedule:" + scheduleId;
            run.trigger = "schedule";
            run.status = RunStatus.AWAITING_APPROVAL;
            run.persist();
            return run;
        });
    }

    @Test
    void whoeverMadeAScheduleStartRunsCannotApproveThem() {
        String scheduleId = "weekly-" + UUID.randomUUID().toString().substring(0, 8);
        String subject = "schedule:" + scheduleId;
        String engineer = accounts.username(ENGINEER);
        String manager = accounts.username(RELEASE_MANAGER);
        QuarkusTransaction.requiringNew().run(() -> {
            audit.record(engineer, "schedule.create", subject, null, "{}");
            audit.record(manager, "schedule.backfill", subject, null, "{}");
            audit.record(accounts.username(ADMIN), "schedule.pause", subject, null, "{}");
        });
        Run run = scheduledRun(scheduleId);

        assertEquals(List.of(engineer, manager), List.copyOf(accountability.of(run).keySet()),
                "pausing a schedule starts nothing, so the admin is not accountable");
        accounts.as(RELEASE_MANAGER).contentType(ContentType.JSON).body("{\"approved\": true}")
                .when().post("/api/runs/" + run.id + "/decision")
                .then().statusCode(403)
                .body("detail", containsString("four-eyes rule: " + manager + " ran schedule.backfill on " + subject));
        List<String> actions = QuarkusTransaction.requiringNew().call(() -> audit.forSubject(run.id)).stream()
                .map(e -> e.action).toList();
        assertEquals(List.of("run.decision.refused"), actions);
    }
}
