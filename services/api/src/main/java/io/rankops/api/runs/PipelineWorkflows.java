package io.rankops.api.runs;

import io.rankops.workflows.TaskQueues;
import io.rankops.workflows.pipeline.ApprovalDecision;
import io.rankops.workflows.pipeline.PipelineRequest;
import io.rankops.workflows.pipeline.PipelineResult;
import io.rankops.workflows.pipeline.PipelineStatus;
import io.rankops.workflows.pipeline.TrainingPipelineWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The API's only door to TrainingPipelineWorkflow executions (workflow id = run id). */
@ApplicationScoped
public class PipelineWorkflows {

    /** A query is answered by a worker; without one it would wait, so a page gives up after this. */
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

    private final WorkflowClient client;

    public PipelineWorkflows(WorkflowClient client) {
        this.client = client;
    }

    /**
     * A run id is used once: a workflow that exists (running or closed) refuses a second start,
     * except one that was terminated because its row never committed (RunCommands), so a client's
     * retry with the same Idempotency-Key can still start the run that never came to be.
     */
    public void start(PipelineRequest request) {
        TrainingPipelineWorkflow workflow = client.newWorkflowStub(TrainingPipelineWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(request.runId())
                        .setTaskQueue(TaskQueues.PIPELINE)
                        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY)
                        .build());
        WorkflowClient.start(workflow::run, request);
    }

    /** Empty when no worker answered in time. */
    public Optional<PipelineStatus> status(String runId) {
        CompletableFuture<PipelineStatus> query = CompletableFuture.supplyAsync(
                () -> client.newUntypedWorkflowStub(runId).query("status", PipelineStatus.class));
        try {
            return Optional.ofNullable(query.get(QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            query.cancel(true);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The result of a workflow that completed; empty for one that failed, was cancelled or still runs. */
    public Optional<PipelineResult> result(String runId) {
        WorkflowStub stub = client.newUntypedWorkflowStub(runId);
        if (stub.describe().getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
            return Optional.empty();
        }
        return Optional.of(stub.getResult(PipelineResult.class));
    }

    public void cancel(String runId) {
        client.newUntypedWorkflowStub(runId).cancel("cancelled through the API");
    }

    /**
     * How Temporal ended a workflow that did not close its run itself (terminated, timed out), or
     * that it no longer knows; empty while it runs or when it ended through its own code.
     */
    public Optional<String> endedOutsideTheWorkflow(String runId) {
        WorkflowExecutionStatus status;
        try {
            status = client.newUntypedWorkflowStub(runId).describe().getStatus();
        } catch (io.temporal.client.WorkflowNotFoundException e) {
            return Optional.of("Temporal no longer knows workflow " + runId);
        }
        return switch (status) {
            case WORKFLOW_EXECUTION_STATUS_TERMINATED -> Optional.of("the workflow was terminated in Temporal");
            case WORKFLOW_EXECUTION_STATUS_TIMED_OUT -> Optional.of("the workflow timed out in Temporal");
            default -> Optional.empty();
        };
    }

    /** Undoes a start whose run row never committed. */
    public void terminate(String runId, String reason) {
        client.newUntypedWorkflowStub(runId).terminate(reason);
    }

    /** Throws io.temporal.client.WorkflowUpdateException when the workflow's validator refuses. */
    public PipelineStatus decide(String runId, ApprovalDecision decision) {
        return client.newWorkflowStub(TrainingPipelineWorkflow.class, runId).decide(decision);
    }
}
