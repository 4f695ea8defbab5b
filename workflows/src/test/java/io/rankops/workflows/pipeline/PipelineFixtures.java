package io.rankops.workflows.pipeline;

import io.rankops.platform.names.FailureTypes;
import io.rankops.workflows.TaskQueues;
import io.rankops.workflows.pipeline.activities.DecisionActivities;
import io.rankops.workflows.pipeline.activities.RunRecordActivities;
import io.rankops.workflows.pipeline.activities.TrainingActivities;
import io.rankops.workflows.pipeline.records.DatasetManifest;
import io.rankops.workflows.pipeline.records.EvaluationReport;
import io.rankops.workflows.pipeline.records.ModelScores;
import io.rankops.workflows.pipeline.records.TrainingResult;
import io.rankops.workflows.rollout.CanaryRolloutWorkflowImpl;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Requests and activity answers shared by the pipeline's tests. */
final class PipelineFixtures {

    /**
     * The pipeline's three task queues on the test server, served as in production: workflows and
     * Java activities (pipeline), the run ledger (run-ledger, the API) and training (the trainer).
     */
    static void startWorkers(TestWorkflowEnvironment env, RunRecordActivities records, TrainingActivities training,
            Object... pipelineActivities) {
        Worker pipeline = env.newWorker(TaskQueues.PIPELINE);
        pipeline.registerWorkflowImplementationTypes(TrainingPipelineWorkflowImpl.class, CanaryRolloutWorkflowImpl.class);
        pipeline.registerActivitiesImplementations(pipelineActivities);
        env.newWorker(TaskQueues.LEDGER).registerActivitiesImplementations(records, DECISION_DESK);
        env.newWorker(TaskQueues.TRAINING).registerActivitiesImplementations(training);
        env.start();
    }

    /**
     * The API's side of a decision, as the ledger queue serves it: {@link #recorded} is what the API
     * writes before it sends the update, {@code confirm} consumes it once.
     */
    static final class DecisionDesk implements DecisionActivities {
        private final Map<String, ApprovalDecision> open = new ConcurrentHashMap<>();

        ApprovalDecision record(ApprovalDecision decision) {
            String id = UUID.randomUUID().toString();
            ApprovalDecision withId = new ApprovalDecision(decision.approver(), decision.approved(), decision.comment(), id);
            open.put(id, withId);
            return withId;
        }

        @Override
        public ApprovalDecision confirm(String runId, String decisionId) {
            ApprovalDecision recorded = decisionId == null ? null : open.remove(decisionId);
            if (recorded == null) {
                throw ApplicationFailure.newNonRetryableFailure("no decision " + decisionId + " was recorded for run "
                        + runId, FailureTypes.UNCONFIRMED_DECISION);
            }
            return recorded;
        }
    }

    static final DecisionDesk DECISION_DESK = new DecisionDesk();

    /** A decision as the API sends it: recorded first, so the workflow's confirmation finds it. */
    static ApprovalDecision recorded(String approver, boolean approved, String comment) {
        return DECISION_DESK.record(new ApprovalDecision(approver, approved, comment, null));
    }

    static final String ENGINEER = "erin.engineer";
    static final String RELEASE_MANAGER = "rita.release";
    static final Duration APPROVAL_TIMEOUT = Duration.ofHours(72);

    static PipelineRequest request(String runId, GatePolicy gate) {
        return new PipelineRequest(runId, ENGINEER, "api", "rankops-ranking", "resflow", true,
                new DataWindow(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 7)), List.of(),
                new TrainingParams(3, 256, 1e-3, 16, 2, 7L, Map.of()), gate, "auto", APPROVAL_TIMEOUT, null);
    }

    static GatePolicy lenientGate() {
        return new GatePolicy(10, 0.30, 0.05, Map.of("US", 0.20));
    }

    static GatePolicy strictGate() {
        return new GatePolicy(10, 0.90, 0.0, Map.of());
    }

    static DatasetManifest dataset(String runId) {
        return new DatasetManifest("ds-0123456789abcdef", "s3://rankops/datasets/ds-0123456789abcdef/",
                "0123456789abcdef", "fedcba", Map.of("train", 5000L, "validation", 1000L, "test", 1000L),
                Map.of("US", Map.of("click", 0.2, "add_to_cart", 0.05, "purchase", 0.02)),
                List.of("events/dt=2026-11-01/part-0.parquet"));
    }

    /** What the trainer reports for the ONNX file it uploaded (any 64 hex digits will do here). */
    static final String ONNX_SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    static TrainingResult trained(String runId) {
        return new TrainingResult(runId, "mlflow-run-1", "s3://rankops/models/" + runId + "/model.onnx", "cpu",
                3, 2, Map.of("val_wr_at_10", 0.55), 0, ONNX_SHA256);
    }

    static EvaluationReport report(double candidateWr, Double championWr) {
        ModelScores candidate = new ModelScores(Map.of("5", candidateWr - 0.1, "10", candidateWr, "20", candidateWr + 0.1),
                Map.of("click", 0.71, "cart", 0.69, "purchase", 0.74),
                Map.of("US", Map.of("10", candidateWr), "DE", Map.of("10", candidateWr - 0.05)));
        ModelScores champion = championWr == null ? null
                : new ModelScores(Map.of("10", championWr), Map.of("click", 0.7), Map.of());
        return new EvaluationReport("s3://rankops/reports/r.json", candidate, champion, "additive", List.of());
    }

    private PipelineFixtures() {
    }
}
