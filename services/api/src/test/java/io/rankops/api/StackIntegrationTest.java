package io.rankops.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.rankops.api.audit.AuditEntry;
import io.rankops.api.audit.AuditLog;
import io.rankops.api.registry.ModelRegistry;
import io.rankops.api.registry.RegisteredModel;
import io.rankops.platform.storage.ObjectStore;
import io.rankops.api.support.TestAccounts;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Each real part of the local stack, reached through the platform's own code: PostgreSQL via
 * Hibernate ORM, MinIO via the MinIO client, MLflow via the MLflow client, and a workflow run
 * on the Temporal dev server by the Java worker and the Python trainer that ./rankops started.
 */
@QuarkusTest
class StackIntegrationTest {

    @Inject
    AuditLog auditLog;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    ObjectStore objectStore;
    @Inject
    ModelRegistry modelRegistry;
    @Inject
    TestAccounts accounts;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    @Test
    void hibernateRoundTripsAnAuditEntryThroughPostgres() {
        String subject = unique("run");
        Long id = auditLog.record("alice", "run.trigger", subject, null, "{\"model\": \"resflow\"}").id;

        List<AuditEntry> entries = QuarkusTransaction.requiringNew().call(() -> auditLog.forSubject(subject));

        assertEquals(1, entries.size());
        AuditEntry read = entries.get(0);
        assertEquals(id, read.id);
        assertEquals("alice", read.actor);
        assertEquals("run.trigger", read.action);
        assertTrue(read.afterState.contains("resflow"), read.afterState);
        assertTrue(read.occurredAt != null, "the database stamps the time");
    }

    @Test
    void theDatabaseRefusesToRewriteTheAuditLog() throws SQLException {
        String subject = unique("run");
        Long id = auditLog.record("alice", "run.trigger", subject, null, null).id;

        // The API's runtime role has no UPDATE or DELETE on the table at all (R__runtime_role_grants.sql);
        // the append-only trigger is the second line, for the owner (infra/local/reliability).
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            SQLException update = assertThrows(SQLException.class,
                    () -> statement.executeUpdate("UPDATE audit_log SET actor = 'mallory' WHERE id = " + id));
            assertTrue(update.getMessage().contains("permission denied for table audit_log"), update.getMessage());
            SQLException delete = assertThrows(SQLException.class,
                    () -> statement.executeUpdate("DELETE FROM audit_log WHERE id = " + id));
            assertTrue(delete.getMessage().contains("permission denied for table audit_log"), delete.getMessage());
        }
        assertEquals("alice", QuarkusTransaction.requiringNew().call(() -> auditLog.forSubject(subject).get(0).actor));
    }

    @Test
    void minioStoresAndReturnsAnObject() {
        String key = "it/" + unique("object") + ".txt";
        byte[] content = "weighted recall at k".getBytes(StandardCharsets.UTF_8);

        objectStore.put(key, content, "text/plain");
        try {
            assertArrayEquals(content, objectStore.get(key).orElseThrow());
        } finally {
            objectStore.delete(key);
        }
        assertTrue(objectStore.get(key).isEmpty(), "deleted object is gone");
    }

    @Test
    void mlflowCreatesAndReadsAnExperimentAndARegisteredModel() {
        String experimentName = unique("it-experiment");
        String experimentId = modelRegistry.ensureExperiment(experimentName);
        assertEquals(experimentName, modelRegistry.experiment(experimentId).getName());
        assertEquals(experimentId, modelRegistry.ensureExperiment(experimentName), "idempotent by name");

        String modelName = unique("it-model");
        RegisteredModel created = modelRegistry.ensureRegisteredModel(modelName, "integration test");
        RegisteredModel read = modelRegistry.registeredModel(modelName).orElseThrow();
        assertEquals(modelName, read.name());
        assertEquals("integration test", read.description());
        assertEquals(created.createdAtMillis(), modelRegistry.ensureRegisteredModel(modelName, "other").createdAtMillis(),
                "idempotent by name");
        assertTrue(modelRegistry.registeredModel(unique("absent")).isEmpty());
    }

    @Test
    void aWorkflowCompletesOnTheRunningTemporalServerThroughBothWorkers() {
        given().when().post("/api/status/probe").then().statusCode(401); // no workflows for anonymous callers
        accounts.as(TestAccounts.RELEASE_MANAGER).when().post("/api/status/probe")
                .then().statusCode(200)
                .body("probeId", containsString("health-probe-"))
                .body("pipelineWorker.taskQueue", equalTo("pipeline"))
                .body("pipelineWorker.runtime", containsString("java"))
                .body("trainingWorker.taskQueue", equalTo("training"))
                .body("trainingWorker.runtime", containsString("torch"));
    }

    @Test
    void statusReportsEveryComponentUp() {
        given().when().get("/api/status")
                .then().statusCode(200)
                .body("healthy", equalTo(true))
                .body("components.name", hasItems("postgresql", "temporal", "minio", "mlflow", "worker", "trainer", "ranker"))
                .body("components.findAll { !it.up }.size()", equalTo(0));
    }

    @Test
    void servesTheWebUi() {
        given().when().get("/")
                .then().statusCode(200)
                .body(containsString("<div id=\"root\">"));
    }
}
