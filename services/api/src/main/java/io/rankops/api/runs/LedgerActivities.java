package io.rankops.api.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankops.platform.names.FailureTypes;
import io.rankops.workflows.pipeline.PipelineRequest;
import io.rankops.workflows.pipeline.activities.RunRecordActivities;
import io.rankops.workflows.pipeline.records.StepEvent;
import io.rankops.workflows.schedule.ScheduledRunActivities;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;

/**
 * The ledger's activities on task queue {@code run-ledger}: Temporal's side of {@link RunLedger}.
 * A record that can never be stored fails for good (naming the run and what is wrong); anything
 * else (database down, row not committed yet) is retried by the activity's policy.
 */
@ApplicationScoped
public class LedgerActivities implements RunRecordActivities, ScheduledRunActivities {

    private final RunLedger ledger;
    private final ObjectMapper json;

    public LedgerActivities(RunLedger ledger, ObjectMapper json) {
        this.ledger = ledger;
        this.json = json;
    }

    /**
     * Attempts before an event whose run has no row is kept without one: the API's opening
     * transaction commits within a second, so a row still missing after these retries (about 15 s)
     * belongs to a run started outside the API.
     */
    static final int WAIT_FOR_ROW_ATTEMPTS = 5;

    @Override
    public void record(StepEvent event) {
        record(event, Activity.getExecutionContext().getInfo().getAttempt());
    }

    void record(StepEvent event, int attempt) {
        JsonNode detail = parseDetail(event);
        try {
            ledger.record(event, detail, attempt < WAIT_FOR_ROW_ATTEMPTS);
        } catch (RuntimeException e) {
            throw permanentOrRetryable(e, "step event " + event.runId() + "#" + event.sequence());
        }
    }

    @Override
    public void openRun(PipelineRequest run) {
        try {
            ledger.openOnce(run);
        } catch (RuntimeException e) {
            throw permanentOrRetryable(e, "scheduled run " + run.runId());
        }
    }

    private JsonNode parseDetail(StepEvent event) {
        if (event.detail() == null || event.detail().isBlank()) {
            return null;
        }
        try {
            return json.readTree(event.detail());
        } catch (JsonProcessingException e) {
            throw ApplicationFailure.newNonRetryableFailure("step event " + event.runId() + "#" + event.sequence()
                    + ": field 'detail' is not JSON (" + e.getOriginalMessage() + ")", FailureTypes.BAD_RUN_RECORD);
        }
    }

    /** SQLSTATE classes 22 (data exception) and 23 (constraint violation) fail the same way on every retry. */
    private static RuntimeException permanentOrRetryable(RuntimeException e, String what) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return ApplicationFailure.newNonRetryableFailure(what + " rejected by PostgreSQL (" + sql.getSQLState()
                        + "): " + sql.getMessage(), FailureTypes.BAD_RUN_RECORD);
            }
        }
        return e;
    }
}
