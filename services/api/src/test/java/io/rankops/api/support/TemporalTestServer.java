package io.rankops.api.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.rankops.workflows.TaskQueues;
import io.rankops.workflows.pipeline.TrainingPipelineWorkflowImpl;
import io.rankops.workflows.pipeline.activities.ExtractionActivities;
import io.rankops.workflows.pipeline.activities.RegistryActivities;
import io.rankops.workflows.pipeline.activities.TrainingActivities;
import io.rankops.workflows.pipeline.records.DatasetManifest;
import io.rankops.workflows.pipeline.records.EvaluationReport;
import io.rankops.workflows.pipeline.records.EvaluationRequest;
import io.rankops.workflows.pipeline.records.ExtractionRequest;
import io.rankops.workflows.pipeline.records.ModelScores;
import io.rankops.workflows.pipeline.records.RegisteredVersion;
import io.rankops.workflows.pipeline.records.RegistrationRequest;
import io.rankops.workflows.pipeline.records.TrainingRequest;
import io.rankops.workflows.pipeline.records.TrainingResult;
import io.rankops.workflows.rollout.ArmMetrics;
import io.rankops.workflows.rollout.ArmSnapshot;
import io.rankops.workflows.rollout.CanaryRolloutWorkflowImpl;
import io.rankops.workflows.rollout.RolloutActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

/**
 * Temporal's in-process test server on a free port, with a worker running the real
 * TrainingPipelineWorkflowImpl over fake activities: runs reach AWAIT_APPROVAL in a moment.
 * Time skipping stays locked, so the approval wait lasts as long as it says.
 */
public class TemporalTestServer implements QuarkusTestResourceLifecycleManager {

    static final String NAMESPACE = "default";
    /** Candidate and champion WR@10: the candidate is better, so the default gate passes. */
    public static final double CANDIDATE_WR_AT_10 = 0.50;
    public static final double CHAMPION_WR_AT_10 = 0.45;

    private TestServer.PortBoundTestServer server;
    private WorkflowServiceStubs service;
    private WorkerFactory workers;

    @Override
    public Map<String, String> start() {
        int port = freePort();
        server = TestServer.createPortBoundServer(port, true);
        String target = "127.0.0.1:" + port;
        service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
        WorkflowClient client = WorkflowClient.newInstance(service,
                WorkflowClientOptions.newBuilder().setNamespace(NAMESPACE).build());
        workers = WorkerFactory.newInstance(client);
        Worker pipeline = workers.newWorker(TaskQueues.PIPELINE);
        pipeline.registerWorkflowImplementationTypes(TrainingPipelineWorkflowImpl.class, CanaryRolloutWorkflowImpl.class);
        // The run ledger's queue is served by the API under test itself (LedgerWorker).
        pipeline.registerActivitiesImplementations(new FakeExtraction(), new FakeRegistry(), new SteadyRanker());
        workers.newWorker(TaskQueues.TRAINING).registerActivitiesImplementations(new FakeTraining());
        workers.start();
        return Map.of("rankops.temporal.target", target, "rankops.temporal.namespace", NAMESPACE);
    }

    @Override
    public void stop() {
        if (workers != null) {
            workers.shutdownNow();
        }
        if (service != null) {
            service.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A ranker whose arms never differ: a rollout only moves on bakes, pauses and signals. */
    static final class SteadyRanker implements RolloutActivities {
        @Override
        public void setCandidateTraffic(String candidateVersion, double percent) {
        }

        @Override
        public ArmSnapshot readArmMetrics() {
            ArmMetrics arm = new ArmMetrics("1", 3000, 1000, 60000, 6000, 1000, 300, 0, 0.3, 0.3, 0.1, 0.0, 5, 20);
            return new ArmSnapshot(arm, arm, null);
        }

        @Override
        public void promoteToChampion(String modelName, String version) {
        }
    }

    static final class FakeExtraction implements ExtractionActivities {
        @Override
        public DatasetManifest extract(ExtractionRequest request) {
            return new DatasetManifest("ds-" + request.runId(), "s3://rankops/datasets/ds-" + request.runId() + "/",
                    "content-hash", "schema-hash", Map.of("train", 800L, "validation", 100L, "test", 100L),
                    Map.of(), List.of());
        }
    }

    static final class FakeTraining implements TrainingActivities {
        @Override
        public TrainingResult train(TrainingRequest request) {
            return new TrainingResult(request.runId(), "mlflow-" + request.runId(),
                    "s3://rankops/models/" + request.runId() + "/model.onnx", "cpu", 1, 1, Map.of("wr@10", 0.5), 0, null);
        }

        @Override
        public EvaluationReport evaluate(EvaluationRequest request) {
            return new EvaluationReport("s3://rankops/reports/" + request.runId() + ".json",
                    scores(CANDIDATE_WR_AT_10), scores(CHAMPION_WR_AT_10), "additive", List.of());
        }

        private static ModelScores scores(double wrAt10) {
            Map<String, Double> byK = Map.of("5", wrAt10 - 0.1, "10", wrAt10, "20", wrAt10 + 0.1);
            return new ModelScores(byK, Map.of("click", 0.7, "cart", 0.72, "purchase", 0.75),
                    Map.of("US", byK, "NL", byK, "ES", byK, "FR", byK));
        }
    }

    static final class FakeRegistry implements RegistryActivities {
        @Override
        public RegisteredVersion findChampion(String modelName) {
            return new RegisteredVersion(modelName, "1", "champion", "s3://rankops/models/champion/model.onnx");
        }

        @Override
        public RegisteredVersion register(RegistrationRequest request) {
            return new RegisteredVersion(request.modelName(), "2", null, request.onnxUri());
        }

        @Override
        public void settle(io.rankops.workflows.pipeline.records.VersionSettlement settlement) {
        }

        @Override
        public void closeTrainingRun(io.rankops.workflows.pipeline.records.TrainingRunClosure closure) {
        }
    }
}
