package io.rankops.workflows.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rankops.workflows.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthProbeWorkflowTest {

    private TestWorkflowEnvironment env;
    private Worker pipelineWorker;
    private Worker trainingWorker;

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
        pipelineWorker = env.newWorker(TaskQueues.PIPELINE);
        pipelineWorker.registerWorkflowImplementationTypes(HealthProbeWorkflowImpl.class);
        trainingWorker = env.newWorker(TaskQueues.TRAINING);
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    private HealthProbeWorkflow newProbe(String id) {
        return env.getWorkflowClient().newWorkflowStub(HealthProbeWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.PIPELINE).setWorkflowId(id).build());
    }

    @Test
    void reportsOneAnswerFromEachTaskQueue() throws Exception {
        pipelineWorker.registerActivitiesImplementations((PipelineProbeActivities) probeId ->
                new WorkerInfo(TaskQueues.PIPELINE, "java-1", "java", "test"));
        trainingWorker.registerActivitiesImplementations((TrainerProbeActivities) probeId ->
                new WorkerInfo(TaskQueues.TRAINING, "python-1", "python", "test"));
        env.start();

        ProbeReport report = newProbe("probe-ok").probe("probe-ok");

        assertEquals("probe-ok", report.probeId());
        assertEquals("java-1", report.pipelineWorker().identity());
        assertEquals(TaskQueues.TRAINING, report.trainingWorker().taskQueue());
        assertEquals("python", report.trainingWorker().runtime());

        // Keeps the committed replay history reproducible: rerun and copy when the workflow changes.
        Path out = Path.of("target", "histories", "health-probe.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, env.getWorkflowClient().fetchHistory("probe-ok").toJson(true));
    }

    @Test
    void failsNamingTheTrainerActivityWhenTheTrainerFails() {
        pipelineWorker.registerActivitiesImplementations((PipelineProbeActivities) probeId ->
                new WorkerInfo(TaskQueues.PIPELINE, "java-1", "java", "test"));
        trainingWorker.registerActivitiesImplementations((TrainerProbeActivities) probeId -> {
            throw ApplicationFailure.newNonRetryableFailure("CUDA driver missing", "TrainerBroken");
        });
        env.start();

        WorkflowFailedException failure = assertThrows(WorkflowFailedException.class,
                () -> newProbe("probe-broken-trainer").probe("probe-broken-trainer"));

        ActivityFailure activity = assertInstanceOf(ActivityFailure.class, failure.getCause());
        assertEquals("describe_trainer", activity.getActivityType());
        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, activity.getCause());
        assertEquals("TrainerBroken", cause.getType());
    }
}
