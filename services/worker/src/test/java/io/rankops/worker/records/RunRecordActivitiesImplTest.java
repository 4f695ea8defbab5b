package io.rankops.worker.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rankops.workflows.pipeline.StepEvent;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the stack's PostgreSQL test database (migrated by the API's Flyway), through the worker's config. */
@QuarkusTest
class RunRecordActivitiesImplTest {

    @Inject
    RunRecordActivitiesImpl activities;

    @Inject
    DataSource dataSource;

    @BeforeEach
    void requireMigratedTestDatabase() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                ResultSet table = connection.createStatement().executeQuery(
                        "SELECT to_regclass('run_step_event') IS NOT NULL")) {
            table.next();
            assertTrue(table.getBoolean(1), "run_step_event is missing in the test database: migrate it with "
                    + "./mvnw -B -pl services/api -am verify -Dtest=HealthTest -Dsurefire.failIfNoSpecifiedTests=false");
        }
    }

    @Test
    void recordingTheSameEventTwiceWritesOneRow() throws SQLException {
        String runId = "run-" + UUID.randomUUID();
        long occurredAt = 1_717_243_200_123L;

        activities.record(new StepEvent(runId, 1, "extract", "started", "{\"window\": 7}", occurredAt));
        activities.record(new StepEvent(runId, 1, "extract", "completed", "{\"retried\": true}", occurredAt + 5));
        activities.record(new StepEvent(runId, 2, "extract", "completed", null, occurredAt + 9));

        List<String> rows = rows(runId);
        assertEquals(List.of("1|extract|started|7|" + occurredAt, "2|extract|completed|null|" + (occurredAt + 9)), rows);
    }

    @Test
    void detailThatIsNotJsonFailsNonRetryably() {
        String runId = "run-" + UUID.randomUUID();

        ApplicationFailure failure = assertThrows(ApplicationFailure.class,
                () -> activities.record(new StepEvent(runId, 1, "gate", "failed", "not json", 0L)));

        assertEquals("BadStepEvent", failure.getType());
        assertTrue(failure.isNonRetryable());
    }

    private List<String> rows(String runId) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT sequence, step, status, "
                        + "detail->>'window', (extract(epoch FROM occurred_at) * 1000)::bigint "
                        + "FROM run_step_event WHERE run_id = ? ORDER BY sequence")) {
            query.setString(1, runId);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getInt(1) + "|" + result.getString(2) + "|" + result.getString(3) + "|"
                            + result.getString(4) + "|" + result.getLong(5));
                }
            }
        }
        return rows;
    }
}
