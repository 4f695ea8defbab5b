package io.rankops.api.approvals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.rankops.api.audit.AuditLog;
import io.rankops.api.errors.ApiError;
import io.rankops.api.errors.ApiException;
import io.rankops.api.policy.PlatformPolicy;
import io.rankops.api.policy.PolicyFloor;
import io.rankops.api.registry.ModelRegistry;
import io.rankops.api.runs.PipelineWorkflows;
import io.rankops.api.runs.Run;
import io.rankops.api.runs.RunQueries;
import io.rankops.api.runs.RunStatus;
import io.rankops.api.runs.RunViews.RunSummary;
import io.rankops.api.runs.RunViews.Step;
import io.rankops.platform.names.RegistryNames;
import io.rankops.workflows.pipeline.ApprovalDecision;
import io.rankops.workflows.pipeline.GatePolicy;
import io.rankops.workflows.pipeline.PipelineRequest;
import io.rankops.workflows.pipeline.PipelineStatus;
import io.rankops.workflows.pipeline.records.EvaluationReport;
import io.rankops.workflows.pipeline.records.GateVerdict;
import io.rankops.workflows.pipeline.records.RegisteredVersion;
import io.rankops.workflows.rollout.RolloutPolicy;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Release managers' view of candidates waiting for them, and their decisions. */
@ApplicationScoped
public class ApprovalService {

    /** The workflow's validator names the rule first; a refused four-eyes check is a 403, not a 409. */
    static final String FOUR_EYES_PREFIX = "four-eyes";

    private final RunQueries runs;
    private final PipelineWorkflows workflows;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final ModelRegistry registry;
    private final Accountability accountability;
    private final PlatformPolicy policy;
    private final DecisionConfirmations decisions;

    public ApprovalService(RunQueries runs, PipelineWorkflows workflows, AuditLog audit, ObjectMapper json,
            ModelRegistry registry, Accountability accountability, PlatformPolicy policy,
            DecisionConfirmations decisions) {
        this.accountability = accountability;
        this.decisions = decisions;
        this.policy = policy;
        this.runs = runs;
        this.workflows = workflows;
        this.audit = audit;
        this.json = json;
        this.registry = registry;
    }

    /** Everything here comes from the projection, so the page needs no Temporal round trip per run. */
    public List<PendingApproval> pending() {
        // One MLflow read per registered model, however many of its runs wait.
        Map<String, Optional<String>> champions = new HashMap<>();
        return Run.<Run>list("status", Sort.ascending("createdAt").and("id"), RunStatus.AWAITING_APPROVAL).stream()
                .map(run -> pending(run, champions))
                .toList();
    }

    private PendingApproval pending(Run run, Map<String, Optional<String>> champions) {
        List<Step> steps = runs.steps(run.id);
        EvaluationReport report = detail(steps, "evaluate", "completed", EvaluationReport.class);
        Long deadline = runs.stepDetail(steps, "await_approval", "started")
                .map(d -> d.path("deadlineMillis").isNumber() ? d.path("deadlineMillis").asLong() : null).orElse(null);
        RegisteredVersion registered = detail(steps, "register", "completed", RegisteredVersion.class);
        return new PendingApproval(RunSummary.of(run), registered, detail(steps, "gate", "completed", GateVerdict.class),
                report == null ? null : report.candidate(), report == null ? null : report.champion(),
                report == null ? null : report.fusion(), deadline, plan(run, registered, champions));
    }

    /** What Approve will do for this run: its canary (from the stored request) or promotion now. */
    private PendingApproval.ApprovalPlan plan(Run run, RegisteredVersion registered,
            Map<String, Optional<String>> champions) {
        try {
            JsonNode rolloutNode = json.readTree(run.parameters).path("rollout");
            String champion = champions.computeIfAbsent(run.modelName,
                    name -> registry.aliasVersion(name, RegistryNames.CHAMPION_ALIAS)).orElse(null);
            String candidate = registered == null ? null : registered.version();
            JsonNode gateNode = json.readTree(run.parameters).path("gate");
            GatePolicy gate = gateNode.isObject() ? json.treeToValue(gateNode, GatePolicy.class) : null;
            PolicyFloor floor = this.policy.current().floor();
            if (rolloutNode.isMissingNode() || rolloutNode.isNull()) {
                return new PendingApproval.ApprovalPlan(PendingApproval.ApprovalPlan.PROMOTE, null, null, null, champion,
                        candidate, gate, floor);
            }
            RolloutPolicy rollout = json.treeToValue(rolloutNode, RolloutPolicy.class);
            return new PendingApproval.ApprovalPlan(PendingApproval.ApprovalPlan.CANARY, rollout.stepsPercent(),
                    rollout.bake().toSeconds(), rollout.minUsersPerArm(), champion, candidate, gate, floor);
        } catch (JsonProcessingException | RuntimeException unknown) {
            return null; // the card still shows the run and its scores
        }
    }

    /**
     * No transaction spans the Temporal call: the update waits for the ledger worker to confirm the
     * decision, which needs a connection of its own. Reads, the record and each audit entry commit
     * on their own.
     */
    public PipelineStatus decide(String runId, String approver, DecisionRequest body) {
        Run run = runs.find(runId);
        if (!run.isOpen()) {
            throw ApiException.conflict("run " + runId + " is closed (" + run.status + "): nothing to decide");
        }
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("status", run.status.name());
        before.put("step", run.currentStep);
        String why = accountability.of(run).get(approver);
        if (why != null) {
            String message = FOUR_EYES_PREFIX + " rule: " + approver + " " + why + " and cannot approve or reject it";
            auditRefusal(approver, runId, body, before, message);
            throw ApiException.forbidden(message);
        }
        // The workflow checks these too; refusing here first keeps unusable decisions out of the record.
        String refusal = run.status != RunStatus.AWAITING_APPROVAL
                ? "run " + runId + " is not awaiting approval (" + run.status + ")"
                : !body.approved() && (body.comment() == null || body.comment().isBlank()) ? "a rejection needs a comment"
                : null;
        if (refusal == null && body.approved()) {
            Optional<PipelineRequest> stored = storedRequest(run);
            List<ApiError.Violation> belowFloor = stored.map(policy::violations).orElse(List.of());
            if (stored.isEmpty()) {
                refusal = "run " + runId + " has parameters this API cannot check against the platform's policy "
                        + "floor: it can only be rejected";
            } else if (!belowFloor.isEmpty()) {
                refusal = "run " + runId + " asks for a looser gate or canary than the platform now allows ("
                        + belowFloor.stream().map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; "))
                        + "): it can only be rejected";
            }
        }
        if (refusal != null) {
            auditRefusal(approver, runId, body, before, refusal);
            throw ApiException.conflict(refusal);
        }
        // Committed before the update: the workflow confirms it with us (DecisionConfirmations) while it waits.
        String decisionId = decisions.record(runId, approver, body.approved(), body.comment());
        ApprovalDecision decision = new ApprovalDecision(approver, body.approved(), body.comment(), decisionId);
        PipelineStatus after;
        try {
            after = workflows.decide(runId, decision);
        } catch (WorkflowUpdateException refused) {
            String message = refused.getCause() instanceof ApplicationFailure failure
                    ? failure.getOriginalMessage() : rootMessage(refused);
            auditRefusal(approver, runId, body, before, message);
            throw message != null && message.startsWith(FOUR_EYES_PREFIX)
                    ? ApiException.forbidden(message) : ApiException.conflict(message);
        } catch (WorkflowNotFoundException e) {
            throw ApiException.conflict("run " + runId + " has no running workflow");
        }
        audit.record(approver, body.approved() ? "run.approve" : "run.reject", runId, toJson(before), toJson(after));
        return after;
    }

    /** The workflow's input as the ledger stored it; empty for a shape this API cannot read. */
    private Optional<PipelineRequest> storedRequest(Run run) {
        try {
            PipelineRequest request = json.readValue(run.parameters, PipelineRequest.class);
            return request.gate() == null || request.params() == null ? Optional.empty() : Optional.of(request);
        } catch (JsonProcessingException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** Refused attempts are audited too, in their own transaction: the caller's rolls back. */
    private void auditRefusal(String approver, String runId, DecisionRequest body, Map<String, Object> before,
            String message) {
        Map<String, Object> attempt = new LinkedHashMap<>();
        attempt.put("approved", body.approved());
        attempt.put("comment", body.comment());
        attempt.put("refusal", message);
        QuarkusTransaction.requiringNew().run(() -> audit.record(approver, "run.decision.refused", runId,
                toJson(before), toJson(attempt)));
    }

    private <T> T detail(List<Step> steps, String step, String status, Class<T> type) {
        return runs.stepDetail(steps, step, status).map(node -> convert(node, type)).orElse(null);
    }

    private <T> T convert(JsonNode node, Class<T> type) {
        try {
            return json.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null; // an older or foreign detail shape: show the run without it
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Root cause text for refusals that carry no ApplicationFailure. */
    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
