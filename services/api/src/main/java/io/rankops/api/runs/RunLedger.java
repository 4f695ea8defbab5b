package io.rankops.api.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankops.api.audit.AuditLog;
import io.rankops.workflows.pipeline.PipelineRequest;
import io.rankops.workflows.pipeline.records.StepEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
     * yet (the API starts the workflow before its row commits) is refused with {@link RunNotOpen};
     * the activity's retry lands it once the row exists, so no event is projected onto nothing.
     */
    @Transactional
    public void record(StepEvent event, JsonNode detail) {
        Run run = Run.findById(event.runId(), LockModeType.PESSIMISTIC_WRITE);
        if (run == null) {
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
