package io.rankops.worker.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.agroal.api.AgroalDataSource;
import io.rankops.workflows.pipeline.PipelineRequest;
import io.rankops.workflows.schedule.ScheduledRunActivities;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import io.temporal.failure.ApplicationFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Opens a scheduled run in the API's projection, as POST /api/runs does for a person's run:
 * the pipeline_run row and its "run.start" audit entry, in one transaction, once per run id.
 */
@ApplicationScoped
public class ScheduledRunActivitiesImpl implements ScheduledRunActivities {

    static final String INSERT_RUN = "INSERT INTO pipeline_run (id, model_name, model_family, window_start, window_end,"
            + " parameters, triggered_by, trigger, status) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, 'schedule', 'RUNNING')"
            + " ON CONFLICT (id) DO NOTHING";
    static final String INSERT_AUDIT = "INSERT INTO audit_log (actor, action, subject, after_state)"
            + " VALUES (?, 'run.start', ?, ?::jsonb)";

    private final AgroalDataSource dataSource;

    public ScheduledRunActivitiesImpl(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void openRun(PipelineRequest run) {
        String parameters = parametersJson(run);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insertRun = connection.prepareStatement(INSERT_RUN);
                    PreparedStatement insertAudit = connection.prepareStatement(INSERT_AUDIT)) {
                insertRun.setString(1, run.runId());
                insertRun.setString(2, run.modelName());
                insertRun.setString(3, run.modelFamily());
                insertRun.setDate(4, Date.valueOf(run.window().start()));
                insertRun.setDate(5, Date.valueOf(run.window().end()));
                insertRun.setString(6, parameters);
                insertRun.setString(7, run.triggeredBy());
                // A retry finds the row and writes no second audit entry.
                if (insertRun.executeUpdate() == 1) {
                    insertAudit.setString(1, run.triggeredBy());
                    insertAudit.setString(2, run.runId());
                    insertAudit.setString(3, parameters);
                    insertAudit.executeUpdate();
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                throw ApplicationFailure.newNonRetryableFailure("run " + run.runId() + " violates a constraint: "
                        + e.getMessage(), "BadScheduledRun");
            }
            throw new IllegalStateException("opening scheduled run " + run.runId() + " failed: " + e.getMessage(), e);
        }
    }

    private static String parametersJson(PipelineRequest run) {
        try {
            return JacksonJsonPayloadConverter.newDefaultObjectMapper().writeValueAsString(run);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unserialisable run request " + run.runId(), e);
        }
    }
}
