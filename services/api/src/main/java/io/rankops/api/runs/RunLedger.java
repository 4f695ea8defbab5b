package io.rankops.api.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankops.api.audit.AuditLog;
import io.rankops.workflows.pipeline.PipelineRequest;
import io.rankops.workflows.pipeline.records.StepEvent;
import io.rankops.workflows.pipeline.records.StepStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

/**
 * The one writer of the run ledger: pipeline_run rows, their run_step_event history and the
 * "run.start" audit entry. POST /api/runs and scheduled runs open rows here; the workflows' step
 * events arrive here through {@link LedgerActivities}.
 */
@ApplicationScoped
public class RunLedger {

    private final AuditLog audit;
    private final ObjectMapper json;

    public RunLedger(AuditLog audit, ObjectMapper json) {
        this.audit = audit;
        this.json = json;
    }

    /**
     * Inserts the run's row and its "run.start" audit entry in the caller's transaction. The row's
     * parameters are the workflow's whole input, written by one mapper for every trigger.
     */
    @Transactional
    public Run open(PipelineRequest request) {
        Run run = new Run();
        run.id = request.runId();
        run.modelName = request.modelName();
        run.modelFamily = request.modelFamily();
        run.windowStart = request.window().start();
        run.windowEnd = request.window().end();
        run.parameters = parametersJson(request);
        run.triggeredBy = request.triggeredBy();
        run.trigger = request.trigger();
        run.status = RunStatus.RUNNING;
        run.persistAndFlush();
        Run.getEntityManager().refresh(run); // created_at and updated_at come from the database
        catchUp(run);
        audit.record(request.triggeredBy(), "run.start", run.id, null, run.parameters);
        return run;
    }

    /** Opens the row unless it exists: a retried activity writes no second row or audit entry. */
    @Transactional
    public boolean openOnce(PipelineRequest request) {
        if (Run.findByIdOptional(request.runId()).isPresent()) {
            return false;
        }
        open(request);
        return true;
    }

    /**
     * Appends the event and moves the row to it, in one transaction under the row's lock, so
     * concurrent events serialise and the newest one decides. An event whose run row is not visible
     * yet (the API starts the workflow before its row commits) is refused with {@link RunNotOpen}
     * while {@code waitForRow}: the activity's retry lands it once the row exists. After that wait
     * the event is kept without a row (a run started outside the API, straight in Temporal), and
     * {@link #open} catches up with it should the row still come.
     */
    @Transactional
    public void record(StepEvent event, JsonNode detail, boolean waitForRow) {
        Run run = Run.findById(event.runId(), LockModeType.PESSIMISTIC_WRITE);
        if (run == null && waitForRow) {
            throw new RunNotOpen(event.runId());
        }
        Run.getEntityManager().createNativeQuery("""
                INSERT INTO run_step_event (run_id, sequence, step, status, detail, occurred_at)
                VALUES (?1, ?2, ?3, ?4, CAST(?5 AS jsonb), ?6)
                ON CONFLICT (run_id, sequence) DO NOTHING""")
                .setParameter(1, event.runId())
                .setParameter(2, event.sequence())
                .setParameter(3, event.step())
                .setParameter(4, event.status().wire())
                .setParameter(5, new TypedParameterValue<>(StandardBasicTypes.STRING, detail == null ? null : detail.toString()))
                .setParameter(6, OffsetDateTime.ofInstant(Instant.ofEpochMilli(event.occurredAtMillis()), ZoneOffset.UTC))
                .executeUpdate();
        if (run != null) {
            moveTo(run, event, detail);
        }
    }

    /** The row takes the event unless it already shows this one or a newer one. */
    private static void moveTo(Run run, StepEvent event, JsonNode detail) {
        if (event.sequence() <= run.lastSequence) {
            return; // a retry, or an event overtaken by a newer one
        }
        RunProjection next = RunProjection.of(event, run.outcome, run.reason, detail);
        run.status = next.status();
        run.currentStep = next.currentStep();
        run.outcome = next.outcome();
        run.reason = next.reason();
        run.lastSequence = event.sequence();
        run.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
    }

    /** A row opened after its run's events were kept without it takes the newest of them. */
    private void catchUp(Run run) {
        @SuppressWarnings("unchecked")
        List<Object[]> latest = Run.getEntityManager().createNativeQuery(
                "SELECT sequence, step, status, CAST(detail AS TEXT) FROM run_step_event WHERE run_id = ?1"
                        + " ORDER BY sequence DESC LIMIT 1")
                .setParameter(1, run.id).getResultList();
        for (Object[] row : latest) {
            String detail = (String) row[3];
            StepEvent event = new StepEvent(run.id, ((Number) row[0]).intValue(), (String) row[1],
                    StepStatus.fromWire((String) row[2]), detail, 0);
            try {
                moveTo(run, event, detail == null ? null : json.readTree(detail));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("run_step_event " + run.id + "#" + row[0] + " holds unreadable JSON", e);
            }
        }
    }

    /**
     * Closes a run whose workflow Temporal ended without the run recording it (terminated by an
     * operator, timed out), with an audit entry by "temporal". A row closed meanwhile is left alone.
     */
    @Transactional
    public boolean closeEndedOutside(String runId, String why) {
        Run run = Run.findById(runId, LockModeType.PESSIMISTIC_WRITE);
        if (run == null || !run.isOpen()) {
            return false;
        }
        String before = run.status.name();
        run.status = RunStatus.TERMINATED;
        run.outcome = RunStatus.TERMINATED.name();
        run.reason = why;
        run.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
        audit.record("temporal", "run.terminated", runId, json.createObjectNode().put("status", before).toString(),
                json.createObjectNode().put("status", run.status.name()).put("reason", why).toString());
        return true;
    }

    String parametersJson(PipelineRequest request) {
        try {
            return json.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the request of run " + request.runId(), e);
        }
    }

    /** The run's row has not committed (or never will: then Temporal terminates the workflow). */
    public static final class RunNotOpen extends RuntimeException {
        public RunNotOpen(String runId) {
            super("run " + runId + " has no ledger row yet");
        }
    }
}
