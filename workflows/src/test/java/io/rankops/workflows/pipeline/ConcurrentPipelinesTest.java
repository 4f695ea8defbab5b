package io.rankops.workflows.pipeline;

import io.rankops.workflows.TaskQueues;
import io.rankops.workflows.pipeline.records.TrainingRequest;
import io.rankops.workflows.pipeline.records.TrainingResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reliability suite, load: 50 pipelines in flight at once on one worker of each kind. Every run
 * must reach the approval wait, take its own approval and end approved, with its own
 * registration and its own ordered step records: no run starves, none is mixed up with another.
 */
class ConcurrentPipelinesTest {

    private static final int RUNS = 50;
    /** Every fifth run's first training attempt dies, so retries interleave with the others. */
    private static final int FAIL_ONCE_EVERY = 5;

    private TestWorkflowEnvironment env;
    private WorkflowClient client;
    private final TrainingPipelineWorkflowTest.FakeExtraction extraction = new TrainingPipelineWorkflowTest.FakeExtraction();
    private final FlakyTraining training = new FlakyTraining();
    private final FakeRegistry registry = new FakeRegistry();
    private final TrainingPipelineWorkflowTest.FakeRecords records = new TrainingPipelineWorkflowTest.FakeRecords();

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
        client = env.getWorkflowClient();
        PipelineFixtures.startWorkers(env, records, training, extraction, registry);
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void fiftyConcurrentPipelinesAllCompleteWithTheirOwnApproval() throws Exception {
        long started = System.nanoTime();
        List<String> runIds = IntStream.range(0, RUNS).mapToObj(i -> String.format("concurrent-%02d", i)).toList();
        List<TrainingPipelineWorkflow> runs = new ArrayList<>();
        for (String runId : runIds) {
            TrainingPipelineWorkflow run = client.newWorkflowStub(TrainingPipelineWorkflow.class,
                    WorkflowOptions.newBuilder().setWorkflowId(runId).setTaskQueue(TaskQueues.PIPELINE).build());
            WorkflowClient.start(run::run, PipelineFixtures.request(runId, PipelineFixtures.lenientGate()));
            runs.add(run);
        }

        for (TrainingPipelineWorkflow run : runs) {
            awaitApprovalWait(run);
        }
        long allWaiting = System.nanoTime();

        // Approvals arrive together too, as a release manager clearing an inbox would send them.
        ExecutorService approvers = Executors.newFixedThreadPool(10);
        try {
            List<CompletableFuture<PipelineStatus>> decisions = runs.stream()
                    .map(run -> CompletableFuture.supplyAsync(() -> run.decide(
                            PipelineFixtures.recorded(PipelineFixtures.RELEASE_MANAGER, true, "batch")), approvers))
                    .toList();
            CompletableFuture.allOf(decisions.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        } finally {
            approvers.shutdownNow();
        }

        Set<String> registeredUris = new HashSet<>();
        for (String runId : runIds) {
            PipelineResult result = client.newUntypedWorkflowStub(runId).getResult(PipelineResult.class);
            assertEquals(PipelineOutcome.APPROVED, result.outcome(), runId);
            assertEquals(runId, result.training().runId());
            registeredUris.add(result.registered().source());
            List<Integer> sequences = records.sequencesOf(runId);
            assertEquals(IntStream.rangeClosed(1, sequences.size()).boxed().toList(), sequences, runId);
            assertEquals("done:approved", records.stepsOf(runId).get(sequences.size() - 1), runId);
        }
        long finished = System.nanoTime();

        assertEquals(RUNS, registeredUris.size(), "each run registered its own artifact");
        assertEquals(RUNS, registry.registrations.get(), "one registration per run");
        assertEquals(RUNS, extraction.calls.get(), "one extraction per run");
        assertEquals(RUNS + RUNS / FAIL_ONCE_EVERY, training.attempts.get(), "one retry per failed attempt");
        recordFigure(allWaiting - started, finished - started);
    }

    /** The run's status query answers from the workflow's memory; it reaches the wait within a minute. */
    private static void awaitApprovalWait(TrainingPipelineWorkflow run) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        PipelineStatus status = run.status();
        while (status.step() != PipelineStep.AWAIT_APPROVAL) {
            assertTrue(System.nanoTime() < deadline, "no approval wait within a minute: " + status);
            Thread.sleep(20);
            status = run.status();
        }
    }

    /** Figures for docs/reliability.md; they include the real 5 s backoff before each retried training. */
    private static void recordFigure(long toApprovalNanos, long totalNanos) throws IOException {
        String json = String.format("{\"test\": \"workflow_50_concurrent_pipelines\", \"runs\": %d, "
                + "\"secondsUntilAllAwaitApproval\": %.2f, \"secondsUntilAllApproved\": %.2f}%n",
                RUNS, toApprovalNanos / 1e9, totalNanos / 1e9);
        Path out = Path.of("target", "reliability", "workflow_50_concurrent_pipelines.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json);
        System.out.print("[figure] " + json);
    }

    /** Answers at once, except that the first attempt of every fifth run dies mid-training. */
    static class FlakyTraining extends TrainingPipelineWorkflowTest.FakeTraining {
        final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public TrainingResult train(TrainingRequest request) {
            attempts.incrementAndGet();
            int index = Integer.parseInt(request.runId().substring(request.runId().lastIndexOf('-') + 1));
            int attempt = io.temporal.activity.Activity.getExecutionContext().getInfo().getAttempt();
            if (index % FAIL_ONCE_EVERY == 0 && attempt == 1) {
                throw new IllegalStateException("trainer killed mid-epoch (" + request.runId() + ")");
            }
            return PipelineFixtures.trained(request.runId());
        }
    }
}
