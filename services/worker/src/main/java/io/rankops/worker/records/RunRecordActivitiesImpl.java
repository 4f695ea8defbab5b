package io.rankops.worker.records;

import io.rankops.workflows.pipeline.RunRecordActivities;
import io.rankops.workflows.pipeline.StepEvent;
import io.temporal.failure.ApplicationFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Appends a run's step transitions to the API's projection (table run_step_event, created by the
 * API's Flyway migration). (run_id, sequence) is the key, so a retried write changes nothing.
 */
@ApplicationScoped
public class RunRecordActivitiesImpl implements RunRecordActivities {

    static final String BAD_STEP_EVENT = "BadStepEvent";

    private static final String INSERT = """
            INSERT INTO run_step_event (run_id, sequence, step, status, detail, occurred_at)
            VALUES (?, ?, ?, ?, ?::jsonb, ?)
            ON CONFLICT (run_id, sequence) DO NOTHING""";

    /**
     * SQLSTATE classes 22 (data exception, e.g. detail that is not JSON) and 23 (constraint
     * violation, e.g. no step): the same event would fail on every retry.
     */
    private static final Set<String> PERMANENT_STATE_CLASSES = Set.of("22", "23");

    private final DataSource dataSource;

    public RunRecordActivitiesImpl(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void record(StepEvent event) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, event.runId());
            insert.setInt(2, event.sequence());
            insert.setString(3, event.step());
            insert.setString(4, event.status());
            if (event.detail() == null || event.detail().isBlank()) {
                insert.setNull(5, Types.VARCHAR);
            } else {
                insert.setString(5, event.detail());
            }
            insert.setObject(6, OffsetDateTime.ofInstant(Instant.ofEpochMilli(event.occurredAtMillis()), ZoneOffset.UTC));
            insert.executeUpdate();
        } catch (SQLException e) {
            String state = e.getSQLState();
            boolean permanent = state != null && state.length() >= 2
                    && PERMANENT_STATE_CLASSES.contains(state.substring(0, 2));
            if (permanent) {
                throw ApplicationFailure.newNonRetryableFailure("step event " + event.runId() + "#" + event.sequence()
                        + " rejected by PostgreSQL (" + state + "): " + e.getMessage(), BAD_STEP_EVENT);
            }
            // Connection refused, failover, lock timeout: worth a retry.
            throw new IllegalStateException("recording step event " + event.runId() + "#" + event.sequence()
                    + " failed: " + e.getMessage(), e);
        }
    }
}
