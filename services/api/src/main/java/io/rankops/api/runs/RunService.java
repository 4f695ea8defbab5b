package io.rankops.api.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.rankops.api.audit.AuditLog;
import io.rankops.api.errors.ApiException;
import io.rankops.api.registry.ModelRegistry;
import io.rankops.api.runs.RunViews.Links;
import io.rankops.api.runs.RunViews.RunDetail;
import io.rankops.api.runs.RunViews.RunProgress;
import io.rankops.api.runs.RunViews.RunSummary;
import io.rankops.api.runs.RunViews.Step;
import io.rankops.api.temporal.TemporalSettings;
import io.rankops.workflows.pipeline.PipelineRequest;
import io.rankops.workflows.pipeline.PipelineResult;
import io.rankops.workflows.pipeline.PipelineStatus;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.serviceclient.CheckedExceptionWrapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/** Starting, reading and cancelling pipeline runs: the row, the audit entry and the workflow together. */
@ApplicationScoped
public class RunService {

    private static final Logger LOG = Logger.getLogger(RunService.class);

    private final PipelineWorkflows workflows;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final TransactionSynchronizationRegistry transactions;
    private final TemporalSettings temporal;
    private final ModelRegistry registry;

    public RunService(PipelineWorkflows workflows, AuditLog audit, ObjectMapper json,
            TransactionSynchronizationRegistry transactions, TemporalSettings temporal, ModelRegistry registry) {
        this.workflows = workflows;
        this.audit = audit;
        this.json = json;
        this.transactions = transactions;
        this.temporal = temporal;
        this.registry = registry;
    }

    /**
     * All or nothing: the row and the audit entry are written first, the workflow starts inside the
     * same transaction, and a start that fails rolls both back. Should the commit fail after the
     * start, the workflow is terminated again.
     */
    @Transactional
    public RunSummary start(RunRequest body, String user) {
        return start(body, user, "run-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    /**
     * Starts the run under the given id. The id is the row's primary key and the workflow id, so a
     * second start under the same id cannot create a second run: the insert waits for the first
     * transaction and then fails ({@link RunExists}), and Temporal would refuse the workflow too.
     */
    @Transactional
    public RunSummary start(RunRequest body, String user, String runId) {
        PipelineRequest request = body.toPipelineRequest(runId, user);

        Run run = new Run();
        run.id = runId;
        run.modelName = request.modelName();
        run.modelFamily = request.modelFamily();
        run.windowStart = request.window().start();
        run.windowEnd = request.window().end();
        run.parameters = toJson(request);
        run.triggeredBy = user;
        run.trigger = request.trigger();
        run.status = Run.RUNNING;
        try {
            run.persistAndFlush();
        } catch (PersistenceException e) {
            if (isUniqueViolation(e)) {
                throw new RunExists(runId);
            }
            throw e;
        }
        Run.getEntityManager().refresh(run); // created_at and updated_at come from the database
        audit.record(user, "run.start", runId, null, run.parameters);

        try {
            workflows.start(request);
        } catch (WorkflowExecutionAlreadyStarted e) {
            throw ApiException.conflict("a workflow with id " + runId + " already exists");
        } catch (RuntimeException e) {
            LOG.warnf(e, "starting run %s failed; nothing was recorded", runId);
            throw ApiException.unavailable("the run could not be started on Temporal: " + rootMessage(e));
        }
        transactions.registerInterposedSynchronization(new TerminateUnlessCommitted(runId));
        return RunSummary.of(run);
    }

    /** Longest Idempotency-Key accepted. */
    public static final int MAX_IDEMPOTENCY_KEY = 128;

    /** The run id an Idempotency-Key stands for: the same user and key always give the same id. */
    public static String keyedRunId(String user, String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((user + '\n' + key).getBytes(StandardCharsets.UTF_8));
            return "run-" + HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void checkIdempotencyKey(String key) {
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ApiException.invalid("Idempotency-Key", "1 to " + MAX_IDEMPOTENCY_KEY
                    + " visible ASCII characters (no spaces)");
        }
    }

    /**
     * The run an earlier request with the same Idempotency-Key started, when there is one. The same
     * key with a different request (after defaults are filled in) is refused with 422: the caller
     * reused a key by mistake, and answering with the other run would hide that.
     */
    public Optional<RunSummary> replay(String key, RunRequest body, String user) {
        String runId = keyedRunId(user, key);
        return QuarkusTransaction.requiringNew().call(() -> Run.<Run>findByIdOptional(runId)).map(run -> {
            JsonNode asked = readJson(toJson(body.toPipelineRequest(runId, user)));
            if (!run.triggeredBy.equals(user) || !readJson(run.parameters).equals(asked)) {
                throw new ApiException(422, "idempotency key reused", "Idempotency-Key '" + key + "' already started run "
                        + runId + " with a different request; use a new key for a new run");
            }
            return RunSummary.of(run);
        });
    }

    /** The run id is taken: a concurrent request with the same Idempotency-Key committed it first. */
    public static final class RunExists extends RuntimeException {
        public RunExists(String runId) {
            super("run " + runId + " already exists");
        }
    }

    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    public RunViews.Page<RunSummary> page(String status, String modelFamily, String triggeredBy, String trigger,
            int page, int size) {
        Map<String, Object> filters = new LinkedHashMap<>();
        putIfPresent(filters, "status", status);
        putIfPresent(filters, "modelFamily", modelFamily);
        putIfPresent(filters, "triggeredBy", triggeredBy);
        putIfPresent(filters, "trigger", trigger);
        String where = filters.keySet().stream().map(f -> f + " = :" + f).collect(Collectors.joining(" and "));
        Parameters parameters = new Parameters();
        filters.forEach(parameters::and);
        var query = where.isEmpty()
                ? Run.<Run>findAll(Sort.descending("createdAt").and("id"))
                : Run.<Run>find(where, Sort.descending("createdAt").and("id"), parameters);
        List<RunSummary> items = query.page(Page.of(page, size)).list().stream().map(RunSummary::of).toList();
        return new RunViews.Page<>(items, page, size, query.count());
    }

    public Run find(String runId) {
        return Run.<Run>findByIdOptional(runId).orElseThrow(() -> ApiException.notFound("run", runId));
    }

    public RunDetail detail(String runId) {
        Run run = find(runId);
        List<Step> steps = steps(runId);
        PipelineStatus live = null;
        PipelineResult result = null;
        String note = null;
        try {
            if (run.isOpen()) {
                live = workflows.status(runId).orElse(null);
                note = live == null ? "no worker answered the status query within " + PipelineWorkflows.QUERY_TIMEOUT : null;
            } else {
                result = workflows.result(runId).orElse(null);
            }
        } catch (WorkflowNotFoundException e) {
            note = "Temporal no longer knows workflow " + runId + " (retention expired?)";
        } catch (RuntimeException e) {
            note = "Temporal could not be asked: " + rootMessage(e);
        }
        return new RunDetail(RunSummary.of(run), readJson(run.parameters), steps, live, result, links(runId, steps), note);
    }

    public RunProgress progress(String runId) {
        Run run = find(runId);
        PipelineStatus live = run.isOpen() ? workflows.status(runId).orElse(null) : null;
        return new RunProgress(run.id, run.status, run.currentStep, run.outcome, run.reason, run.isOpen(), live);
    }

    /** Cancellation is Temporal's: the workflow records "cancelled" itself, which closes the row. */
    @Transactional
    public RunViews.CancelRequested cancel(String runId, String user, boolean admin) {
        Run run = find(runId);
        if (!admin && !run.triggeredBy.equals(user)) {
            throw ApiException.forbidden("only " + run.triggeredBy + " (who started the run) or an admin may cancel it");
        }
        if (!run.isOpen()) {
            throw ApiException.conflict("run " + runId + " is already closed (" + run.status + ")");
        }
        audit.record(user, "run.cancel", runId, toJson(Map.of("status", run.status)),
                toJson(Map.of("status", "CANCEL_REQUESTED")));
        try {
            workflows.cancel(runId);
        } catch (WorkflowNotFoundException e) {
            throw ApiException.conflict("run " + runId + " has no running workflow");
        } catch (WorkflowException | CheckedExceptionWrapper | io.grpc.StatusRuntimeException e) {
            throw ApiException.unavailable("Temporal refused the cancellation: " + rootMessage(e));
        }
        return new RunViews.CancelRequested(runId, "CANCEL_REQUESTED");
    }

    public List<Step> steps(String runId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Run.getEntityManager().createNativeQuery(
                "SELECT sequence, step, status, CAST(detail AS TEXT), occurred_at FROM run_step_event"
                        + " WHERE run_id = ?1 ORDER BY sequence")
                .setParameter(1, runId).getResultList();
        List<Step> steps = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            steps.add(new Step(((Number) row[0]).intValue(), (String) row[1], (String) row[2],
                    row[3] == null ? null : readJson((String) row[3]), timestamp(row[4])));
        }
        return steps;
    }

    /** The latest detail recorded for a step with the given status ("evaluate", "completed"). */
    public Optional<JsonNode> stepDetail(List<Step> steps, String step, String status) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step s = steps.get(i);
            if (s.step().equals(step) && s.status().equals(status) && s.detail() != null) {
                return Optional.of(s.detail());
            }
        }
        return Optional.empty();
    }

    private Links links(String runId, List<Step> steps) {
        String temporalLink = temporal.uiUrl() + "/namespaces/" + temporal.namespace() + "/workflows/" + runId;
        String mlflowRunId = stepDetail(steps, "train", "completed").map(d -> d.path("mlflowRunId").asText(null))
                .orElse(null);
        String mlflowLink = null;
        if (mlflowRunId != null) {
            try {
                mlflowLink = registry.experimentOfRun(mlflowRunId)
                        .map(experiment -> registry.trackingUri() + "/#/experiments/" + experiment + "/runs/" + mlflowRunId)
                        .orElse(null);
            } catch (RuntimeException e) {
                LOG.debugf(e, "no MLflow link for %s", runId);
            }
        }
        return new Links(temporalLink, mlflowLink);
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    private JsonNode readJson(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return json.getNodeFactory().textNode(text);
        }
    }

    private static OffsetDateTime timestamp(Object value) {
        if (value instanceof OffsetDateTime odt) {
            return odt;
        }
        if (value instanceof Instant instant) {
            return instant.atOffset(ZoneOffset.UTC);
        }
        if (value instanceof Timestamp ts) {
            return ts.toInstant().atOffset(ZoneOffset.UTC);
        }
        return null;
    }

    private static void putIfPresent(Map<String, Object> filters, String field, String value) {
        if (value != null && !value.isBlank()) {
            filters.put(field, value);
        }
    }

    static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** The workflow started but the row did not commit: stop the workflow so no run goes unrecorded. */
    private final class TerminateUnlessCommitted implements Synchronization {
        private final String runId;

        TerminateUnlessCommitted(String runId) {
            this.runId = runId;
        }

        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            if (status != Status.STATUS_COMMITTED) {
                try {
                    workflows.terminate(runId, "the API could not record the run");
                } catch (RuntimeException e) {
                    LOG.errorf(e, "run %s: workflow started but its row did not commit, and terminating it failed", runId);
                }
            }
        }
    }
}
