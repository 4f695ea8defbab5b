package io.rankops.api.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rankops.api.audit.AuditLog;
import io.rankops.api.errors.ApiError;
import io.rankops.api.errors.ApiException;
import io.rankops.api.policy.PlatformPolicy;
import io.rankops.api.runs.RunViews.RunSummary;
import io.rankops.platform.storage.ObjectStore;
import io.rankops.workflows.pipeline.PipelineRequest;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.serviceclient.CheckedExceptionWrapper;
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
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/** Starting and cancelling pipeline runs: the ledger row, the audit entry and the workflow together. */
@ApplicationScoped
public class RunCommands {

    private static final Logger LOG = Logger.getLogger(RunCommands.class);

    private final PipelineWorkflows workflows;
    private final RunLedger ledger;
    private final RunQueries queries;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final TransactionSynchronizationRegistry transactions;
    private final EventWindow events;
    private final PlatformPolicy policy;

    public RunCommands(PipelineWorkflows workflows, RunLedger ledger, RunQueries queries, AuditLog audit,
            ObjectMapper json, TransactionSynchronizationRegistry transactions, EventWindow events, PlatformPolicy policy) {
        this.events = events;
        this.policy = policy;
        this.workflows = workflows;
        this.ledger = ledger;
        this.queries = queries;
        this.audit = audit;
        this.json = json;
        this.transactions = transactions;
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
        List<ApiError.Violation> belowFloor = policy.violations(request);
        if (!belowFloor.isEmpty()) {
            throw new ApiException(400, "invalid request", "the run asks for a looser gate or canary than the platform "
                    + "allows (GET /api/policy)", belowFloor);
        }
        refuseMissingDays(request.window().start(), request.window().end());
        refuseUndeclaredRegions(body);

        Run run;
        try {
            run = ledger.open(request);
        } catch (PersistenceException e) {
            if (isUniqueViolation(e)) {
                throw new RunExists(runId);
            }
            throw e;
        }

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

    private void refuseMissingDays(LocalDate start, LocalDate end) {
        List<LocalDate> missing;
        try {
            missing = events.missingDays(start, end);
        } catch (ObjectStore.ObjectStoreException e) {
            // A convenience, not a guard: with MinIO briefly down the run starts, and extraction
            // rides the outage out with its retries (or fails naming the partitions).
            LOG.warnf("could not check the window's events (%s); starting the run anyway", rootMessage(e));
            return;
        }
        if (!missing.isEmpty()) {
            String days = missing.stream().limit(10).map(LocalDate::toString).collect(Collectors.joining(", "))
                    + (missing.size() > 10 ? " and " + (missing.size() - 10) + " more" : "");
            throw new ApiException(400, "invalid request", "the window has days without event data",
                    List.of(new ApiError.Violation("window", "no events for " + days + " (looked for "
                            + events.describe() + ")")));
        }
    }

    /** Regions the event source does not have would train on nothing (or gate on nothing): 400 naming them. */
    private void refuseUndeclaredRegions(RunRequest body) {
        List<ApiError.Violation> unknown = events.undeclaredRegions(body);
        if (!unknown.isEmpty()) {
            throw new ApiException(400, "invalid request", "the run names regions the events do not have ("
                    + events.describeSpec() + ")", unknown);
        }
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
            JsonNode asked = queries.readJson(ledger.parametersJson(body.toPipelineRequest(runId, user)));
            if (!run.triggeredBy.equals(user) || !queries.readJson(run.parameters).equals(asked)) {
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

    /** Cancellation is Temporal's: the workflow records "cancelled" itself, which closes the row. */
    @Transactional
    public RunViews.CancelRequested cancel(String runId, String user, boolean admin) {
        Run run = queries.find(runId);
        if (!admin && !run.triggeredBy.equals(user)) {
            throw ApiException.forbidden("only " + run.triggeredBy + " (who started the run) or an admin may cancel it");
        }
        if (!run.isOpen()) {
            throw ApiException.conflict("run " + runId + " is already closed (" + run.status + ")");
        }
        audit.record(user, "run.cancel", runId, toJson(Map.of("status", run.status.name())),
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

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
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
