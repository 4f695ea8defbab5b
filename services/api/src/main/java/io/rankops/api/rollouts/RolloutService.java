package io.rankops.api.rollouts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankops.api.audit.AuditLog;
import io.rankops.api.errors.ApiException;
import io.rankops.api.runs.Run;
import io.rankops.workflows.rollout.CanaryRolloutWorkflow;
import io.rankops.workflows.rollout.RolloutStatus;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The canary rollout of a run (child workflow {@code <run id>-rollout}): its status, and the
 * signals a release manager sends it. Temporal is the source of truth; every control is audited.
 */
@ApplicationScoped
public class RolloutService {

    private final WorkflowClient client;
    private final AuditLog audit;
    private final ObjectMapper json;

    public RolloutService(WorkflowClient client, AuditLog audit, ObjectMapper json) {
        this.client = client;
        this.audit = audit;
        this.json = json;
    }

    public RolloutStatus status(String runId) {
        requireRun(runId);
        try {
            return rollout(runId).status();
        } catch (WorkflowNotFoundException e) {
            throw ApiException.notFound("rollout of run", runId);
        }
    }

    public enum Control { PAUSE, RESUME, ABORT, PROMOTE }

    @Transactional
    public RolloutStatus control(String runId, Control control, String reason, String user) {
        requireRun(runId);
        String workflowId = workflowId(runId);
        WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
        try {
            if (stub.describe().getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
                throw ApiException.conflict("the rollout of run " + runId + " has ended");
            }
        } catch (WorkflowNotFoundException e) {
            throw ApiException.notFound("rollout of run", runId);
        }
        CanaryRolloutWorkflow rollout = rollout(runId);
        RolloutStatus before = rollout.status();
        String why = reason == null || reason.isBlank() ? "by " + user : reason + " (" + user + ")";
        Consumer<CanaryRolloutWorkflow> signal = switch (control) {
            case PAUSE -> CanaryRolloutWorkflow::pause;
            case RESUME -> CanaryRolloutWorkflow::resume;
            case ABORT -> r -> r.abort(why);
            case PROMOTE -> r -> r.promoteNow(why);
        };
        signal.accept(rollout);
        audit.record(user, "rollout." + control.name().toLowerCase(), runId, toJson(before),
                toJson(Map.of("control", control.name(), "reason", why)));
        return rollout.status();
    }

    private CanaryRolloutWorkflow rollout(String runId) {
        return client.newWorkflowStub(CanaryRolloutWorkflow.class, workflowId(runId));
    }

    private static String workflowId(String runId) {
        return CanaryRolloutWorkflow.workflowId(runId);
    }

    private static void requireRun(String runId) {
        Run.<Run>findByIdOptional(runId).orElseThrow(() -> ApiException.notFound("run", runId));
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
