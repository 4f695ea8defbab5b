package io.rankops.workflows.pipeline;

import io.rankops.platform.names.FailureTypes;
import io.rankops.workflows.TaskQueues;
import io.rankops.workflows.pipeline.activities.ExtractionActivities;
import io.rankops.workflows.pipeline.activities.RunRecordActivities;
import io.rankops.workflows.pipeline.activities.TrainingActivities;
import io.rankops.workflows.pipeline.records.DatasetManifest;
import io.rankops.workflows.pipeline.records.EvaluationReport;
import io.rankops.workflows.pipeline.records.EvaluationRequest;
import io.rankops.workflows.pipeline.records.ExtractionRequest;
import io.rankops.workflows.pipeline.records.StepEvent;
import io.rankops.workflows.pipeline.records.StepStatus;
import io.rankops.workflows.pipeline.records.TrainingRequest;
import io.rankops.workflows.pipeline.records.TrainingResult;
import io.rankops.workflows.pipeline.records.TrainingRunClosure;
import io.rankops.workflows.pipeline.records.VersionLifecycle;
import io.rankops.workflows.rollout.RolloutOutcome;
import io.rankops.workflows.rollout.RolloutPolicy;
import io.rankops.workflows.rollout.SimulatedRanker;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static io.rankops.workflows.pipeline.PipelineFixtures.APPROVAL_TIMEOUT;
import static io.rankops.workflows.pipeline.PipelineFixtures.ENGINEER;
import static io.rankops.workflows.pipeline.PipelineFixtures.RELEASE_MANAGER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingPipelineWorkflowTest {

    /** How long a test waits, in real time, for the run to move on. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestWorkflowEnvironment env;
    private boolean started;
    private WorkflowClient client;
    private final FakeExtraction extraction = new FakeExtraction();
    private final FakeTraining training = new FakeTraining();
    private final FakeRegistry registry = new FakeRegistry();
    private final FakeRecords records = new FakeRecords();
    /** Serves the canary child; a candidate as good as the champion unless a test says otherwise. */
    private SimulatedRanker ranker = new SimulatedRanker(0.30, 0.31);

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
        client = env.getWorkflowClient();
    }

    /** Workers start lazily, so a test can choose the ranker the canary meets first. */
    private void startWorkers() {
        PipelineFixtures.startWorkers(env, records, training, extraction, registry, ranker);
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    private TrainingPipelineWorkflow start(PipelineRequest request) {
        if (!started) {
            startWorkers();
            started = true;
        }
        TrainingPipelineWorkflow run = client.newWorkflowStub(TrainingPipelineWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(request.runId()).setTaskQueue(TaskQueues.PIPELINE).build());
        WorkflowClient.start(run::run, request);
        return run;
    }

    private PipelineResult result(String runId) {
        return client.newUntypedWorkflowStub(runId).getResult(PipelineResult.class);
    }

    /** The fakes answer at once; the deadline is generous because CI shares two cores with the stack. */
    private static void awaitStep(TrainingPipelineWorkflow run, PipelineStep step) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (run.status().step() == step) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("run never reached " + step + "; it is at " + run.status().step());
    }

    @Test
    void approvedRunEndsReadyForRolloutWithItsRegisteredVersion() throws Exception {
        TrainingPipelineWorkflow run = start(PipelineFixtures.request("run-approve", PipelineFixtures.lenientGate()));
        awaitStep(run, PipelineStep.AWAIT_APPROVAL);

        PipelineStatus waiting = run.status();
        assertEquals("1", waiting.registered().version());
        assertTrue(waiting.gate().passed());
        assertEquals(env.currentTimeMillis() + APPROVAL_TIMEOUT.toMillis(), waiting.approvalDeadlineMillis(), 5_000);

        PipelineStatus afterDecision = run.decide(PipelineFixtures.recorded(RELEASE_MANAGER, true, "ship it"));
        assertEquals(RELEASE_MANAGER, afterDecision.decision().approver());

        PipelineResult result = result("run-approve");
        assertEquals(PipelineOutcome.APPROVED, result.outcome());
        assertEquals("ds-0123456789abcdef", result.dataset().datasetId());
        assertNull(result.registered().alias(), "registration sets no serving alias");
        assertEquals(List.of(VersionLifecycle.CHAMPION), registry.lifecycleOf("run-approve"),
                "approval without a canary makes the version champion at once");
        assertTrue(result.reason().contains("version 1 is champion"), result.reason());
        assertEquals(List.of(TrainingRunClosure.Status.FINISHED), registry.closuresOf("run-approve"));
        assertEquals("mlflow-run-1", registry.closures.get(0).mlflowRunId());
        assertEquals(1, registry.registrations.get());
        assertTrue(registry.lastMetrics.containsKey("wr_at_10"), registry.lastMetrics.toString());
        assertEquals(PipelineFixtures.ONNX_SHA256, registry.lastOnnxSha256,
                "registration is asked to verify the digest training reported");
        assertEquals(List.of("extract:started", "extract:completed", "train:started", "train:completed",
                "evaluate:started", "evaluate:completed", "gate:started", "gate:completed", "register:started",
                "register:completed", "await_approval:started", "await_approval:approved", "done:approved"),
                records.stepsOf("run-approve"));
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13), records.sequencesOf("run-approve"));

        writeHistory("run-approve", "training-pipeline-approved-champion.json");
    }

    @Test
    void gateFailureEndsTheRunWithTheReasonAndRegistersNothing() {
        start(PipelineFixtures.request("run-gate-fail", PipelineFixtures.strictGate()));

        PipelineResult result = result("run-gate-fail");

        assertEquals(PipelineOutcome.GATE_FAILED, result.outcome());
        assertTrue(result.reason().contains("WR@10 0.5500 is below the minimum 0.9000"), result.reason());
        assertEquals(0, registry.registrations.get());
        assertNull(result.registered());
        assertEquals("gate:failed", records.stepsOf("run-gate-fail").get(7));
        assertTrue(registry.settlements.isEmpty(), "no version, nothing to settle");
        assertEquals(List.of(TrainingRunClosure.Status.FINISHED), registry.closuresOf("run-gate-fail"));
        assertEquals("gate_failed", registry.closures.get(0).outcome());
    }

    @Test
    void aRejectionWithACommentEndsTheRun() throws Exception {
        TrainingPipelineWorkflow run = start(PipelineFixtures.request("run-reject", PipelineFixtures.lenientGate()));
        awaitStep(run, PipelineStep.AWAIT_APPROVAL);

        run.decide(PipelineFixtures.recorded(RELEASE_MANAGER, false, "DE regressed online last week"));

        PipelineResult result = result("run-reject");
        assertEquals(PipelineOutcome.REJECTED, result.outcome());
        assertTrue(result.reason().contains("DE regressed online last week"), result.reason());
        assertEquals(List.of(VersionLifecycle.REJECTED), registry.lifecycleOf("run-reject"));
        assertTrue(registry.settlements.get(0).reason().contains("DE regressed online last week"));
        assertEquals(List.of(TrainingRunClosure.Status.FINISHED), registry.closuresOf("run-reject"));
    }

    @Test
    void invalidDecisionsAreRefusedAndTheRunKeepsWaiting() throws Exception {
        TrainingPipelineWorkflow run = start(PipelineFixtures.request("run-four-eyes", PipelineFixtures.lenientGate()));
        awaitStep(run, PipelineStep.AWAIT_APPROVAL);

        assertRefused(() -> run.decide(PipelineFixtures.recorded(ENGINEER, true, "lgtm")),
                "four-eyes rule: erin.engineer triggered this run");
        assertRefused(() -> run.decide(PipelineFixtures.recorded(RELEASE_MANAGER, false, " ")), "a rejection needs a comment");
        assertRefused(() -> run.decide(PipelineFixtures.recorded("", true, null)), "approver is required");
        assertNull(run.status().decision(), "nothing recorded by refused updates");

        run.decide(PipelineFixtures.recorded(RELEASE_MANAGER, true, null));
        assertEquals(PipelineOutcome.APPROVED, result("run-four-eyes").outcome());
        // The run has ended: there is nothing left to decide on.
        assertThrows(io.temporal.client.WorkflowException.class,
                () -> run.decide(PipelineFixtures.recorded(RELEASE_MANAGER, true, null)));
    }

    @Test
    void aDecisionTheApiNeverRecordedDecidesNothing() throws Exception {
        TrainingPipelineWorkflow run = start(PipelineFixtures.request("run-forged", PipelineFixtures.lenientGate()));
        awaitStep(run, PipelineStep.AWAIT_APPROVAL);

        // Straight to Temporal, as anyone who reaches its frontend could: no id, a made-up id, a used id.
        assertRefused(() -> run.decide(new ApprovalDecision(RELEASE_MANAGER, true, "forged", null)),
                "decisions are made through the rankops API");
        assertRefused(() -> run.decide(new ApprovalDecision(RELEASE_MANAGER, true, "forged", "made-up")),
                "no decision made-up was recorded");
        // A recorded id with another payload: the workflow acts on the record (a rejection), not the claim.
        ApprovalDecision rejection = PipelineFixtures.recorded(RELEASE_MANAGER, false, "DE regressed");
        ApprovalDecision claim = new ApprovalDecision("someone-else", true, "ship it", rejection.decisionId());
        PipelineStatus after = run.decide(claim);
        assertEquals(rejection, after.decision());
        assertEquals(PipelineOutcome.REJECTED, result("run-forged").outcome());
        assertThrows(io.temporal.client.WorkflowException.class, () -> run.decide(claim), "the run has ended");
    }

    private static void assertRefused(Runnable update, String message) {
        WorkflowUpdateException refused = assertThrows(WorkflowUpdateException.class, update::run);
        String text = String.valueOf(refused.getCause().getMessage());
        assertTrue(text.contains(message), text);
    }

    @Test
    void withoutADecisionTheRunRemindsThenExpires() {
        start(PipelineFixtures.request("run-expire", PipelineFixtures.lenientGate()));

        PipelineResult result = result("run-expire"); // time skips through the 72 h wait

        assertEquals(PipelineOutcome.APPROVAL_EXPIRED, result.outcome());
        assertEquals(List.of(VersionLifecycle.EXPIRED), registry.lifecycleOf("run-expire"));
        List<String> steps = records.stepsOf("run-expire");
        assertEquals(List.of("await_approval:started", "await_approval:reminded", "await_approval:expired",
                "done:approval_expired"), steps.subList(steps.size() - 4, steps.size()));
        List<Long> at = records.timesOf("run-expire");
        long waited = at.get(at.size() - 2) - at.get(at.size() - 4);
        assertEquals(APPROVAL_TIMEOUT.toMillis(), waited, 60_000);
    }

    @Test
    void aFailedTrainingAttemptIsRetriedAndTheRunGoesOn() throws Exception {
        training.failuresBeforeSuccess.set(1);
        TrainingPipelineWorkflow run = start(PipelineFixtures.request("run-retry", PipelineFixtures.lenientGate()));
        awaitStep(run, PipelineStep.AWAIT_APPROVAL);

        assertEquals(2, training.trainAttempts.get());
        run.decide(PipelineFixtures.recorded(RELEASE_MANAGER, true, null));
        assertEquals(PipelineOutcome.APPROVED, result("run-retry").outcome());
    }

    @Test
    void badEventDataFailsTheRunAtOnceNamingFileAndColumn() {
        extraction.badData = "events/dt=2026-11-03/part-0.parquet: column purchase: purchase without click "
                + "(request_id r-17)";
        start(PipelineFixtures.request("run-bad-data", PipelineFixtures.lenientGate()));

        WorkflowFailedException failed = assertThrows(WorkflowFailedException.class, () -> result("run-bad-data"));

        ActivityFailure activity = assertInstanceOf(ActivityFailure.class, failed.getCause());
        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, activity.getCause());
        assertEquals(FailureTypes.BAD_EVENT_DATA, cause.getType());
        assertTrue(cause.getOriginalMessage().contains("part-0.parquet: column purchase"), cause.getOriginalMessage());
        assertEquals(1, extraction.calls.get(), "not retried");
        assertEquals(List.of(TrainingRunClosure.Status.FAILED), registry.closuresOf("run-bad-data"));
        assertNull(registry.closures.get(0).mlflowRunId(), "found by its run id tag: training never reported one");
        assertEquals(0, training.trainAttempts.get());
        assertEquals("extract:failed", records.stepsOf("run-bad-data").get(1));
        // The reason a person reads: the activity's own message and type, not the SDK's wrapping.
        String detail = records.events.stream().filter(e -> e.runId().equals("run-bad-data") && e.status() == StepStatus.FAILED)
                .findFirst().orElseThrow().detail();
        assertTrue(detail.contains("\"extract_dataset: events/dt=2026-11-03/part-0.parquet: column purchase"), detail);
        assertTrue(detail.endsWith("[BadEventData]\"}"), detail);
    }

    @Test
    void cancellingWhileAwaitingApprovalRecordsItAndEndsCancelled() throws Exception {
        TrainingPipelineWorkflow run = start(PipelineFixtures.request("run-cancel", PipelineFixtures.lenientGate()));
        awaitStep(run, PipelineStep.AWAIT_APPROVAL);

        client.newUntypedWorkflowStub("run-cancel").cancel();

        WorkflowFailedException failed = assertThrows(WorkflowFailedException.class, () -> result("run-cancel"));
        assertInstanceOf(CanceledFailure.class, failed.getCause());
        List<String> steps = records.stepsOf("run-cancel");
        assertEquals("await_approval:cancelled", steps.get(steps.size() - 1));
        assertEquals(List.of(VersionLifecycle.CANCELLED), registry.lifecycleOf("run-cancel"));
        assertEquals(List.of(TrainingRunClosure.Status.KILLED), registry.closuresOf("run-cancel"));
    }

    @Test
    void cancellingWhileTrainingRecordsItAndEndsCancelled() throws Exception {
        training.holdTraining = true;
        TrainingPipelineWorkflow run = start(PipelineFixtures.request("run-cancel-training", PipelineFixtures.lenientGate()));
        awaitStep(run, PipelineStep.TRAIN);

        client.newUntypedWorkflowStub("run-cancel-training").cancel();

        WorkflowFailedException failed = assertThrows(WorkflowFailedException.class, () -> result("run-cancel-training"));
        assertInstanceOf(CanceledFailure.class, failed.getCause());
        List<String> steps = records.stepsOf("run-cancel-training");
        assertEquals("train:cancelled", steps.get(steps.size() - 1), steps.toString());
        assertTrue(registry.lifecycleOf("run-cancel-training").isEmpty(), "nothing registered yet");
        assertEquals(List.of(TrainingRunClosure.Status.KILLED), registry.closuresOf("run-cancel-training"));
        training.holdTraining = false;
    }

    private static PipelineRequest withRollout(PipelineRequest r) {
        return new PipelineRequest(r.runId(), r.triggeredBy(), r.trigger(), r.modelName(), r.modelFamily(),
                r.regionMask(), r.window(), r.regions(), r.params(), r.gate(), r.device(), r.approvalTimeout(),
                RolloutPolicy.standard(Duration.ofMinutes(30)));
    }

    @Test
    void anApprovedRunWithARolloutIsPromotedThroughTheCanary() throws Exception {
        TrainingPipelineWorkflow run = start(withRollout(PipelineFixtures.request("run-canary", PipelineFixtures.lenientGate())));
        awaitStep(run, PipelineStep.AWAIT_APPROVAL);
        run.decide(PipelineFixtures.recorded(RELEASE_MANAGER, true, "roll it out"));

        PipelineResult result = result("run-canary");

        assertEquals(PipelineOutcome.PROMOTED, result.outcome(), result.reason());
        assertEquals(RolloutOutcome.PROMOTED, result.rollout().outcome());
        assertEquals(List.of(VersionLifecycle.CHAMPION), registry.lifecycleOf("run-canary"));
        assertEquals(List.of(5.0, 25.0, 50.0, 100.0, 0.0), ranker.trafficHistory);
        List<String> steps = records.stepsOf("run-canary");
        assertEquals(List.of("await_approval:approved", "rollout:started", "rollout:promoted", "done:promoted"),
                steps.subList(steps.size() - 4, steps.size()));
        writeHistory("run-canary", "training-pipeline-promoted-settled.json");
    }

    @Test
    void aDegradedCandidateIsRolledBackAndTheRunSaysSo() throws Exception {
        ranker = new SimulatedRanker(0.30, 0.12);
        TrainingPipelineWorkflow run = start(withRollout(PipelineFixtures.request("run-rollback", PipelineFixtures.lenientGate())));
        awaitStep(run, PipelineStep.AWAIT_APPROVAL);
        run.decide(PipelineFixtures.recorded(RELEASE_MANAGER, true, null));

        PipelineResult result = result("run-rollback");

        assertEquals(PipelineOutcome.ROLLED_BACK, result.outcome());
        assertTrue(result.reason().contains("significantly fewer orders per user"), result.reason());
        assertEquals(5.0, result.rollout().maxTrafficPercent());
        assertEquals(List.of(VersionLifecycle.ROLLED_BACK), registry.lifecycleOf("run-rollback"));
        assertEquals(List.of(TrainingRunClosure.Status.FINISHED), registry.closuresOf("run-rollback"));
    }

    @Test
    void theFirstModelsCanaryIsJudgedAgainstTheBaselineAndMakesItChampion() throws Exception {
        ranker = SimulatedRanker.withoutChampion(0.20, 0.30);
        TrainingPipelineWorkflow run = start(withRollout(PipelineFixtures.request("run-first", PipelineFixtures.lenientGate())));
        awaitStep(run, PipelineStep.AWAIT_APPROVAL);
        assertTrue(registry.lifecycleOf("run-first").isEmpty(), "awaiting approval: nothing may serve it");
        run.decide(PipelineFixtures.recorded(RELEASE_MANAGER, true, "first model"));

        PipelineResult result = result("run-first");

        assertEquals(PipelineOutcome.PROMOTED, result.outcome(), result.reason());
        assertTrue(result.rollout().decisions().stream()
                .allMatch(d -> io.rankops.workflows.rollout.CanaryDecision.BASELINE.equals(d.comparedWith())), result.rollout().decisions().toString());
        assertEquals(List.of(VersionLifecycle.CHAMPION), registry.lifecycleOf("run-first"));
        writeHistory("run-first", "training-pipeline-first-champion.json");
    }

    @Test
    void cancellingDuringTheCanaryLeavesNoAlias() throws Exception {
        TrainingPipelineWorkflow run = start(withRollout(PipelineFixtures.request("run-cancel-canary", PipelineFixtures.lenientGate())));
        awaitStep(run, PipelineStep.AWAIT_APPROVAL);
        run.decide(PipelineFixtures.recorded(RELEASE_MANAGER, true, null));
        awaitStep(run, PipelineStep.ROLLOUT);
        // Polls in real time: env.sleep while a child workflow runs can hang the test server
        // (temporalio/sdk-java#2392), and the first step's traffic is all this test needs.
        waitFor(() -> ranker.trafficHistory.stream().anyMatch(percent -> percent > 0));

        client.newUntypedWorkflowStub("run-cancel-canary").cancel();

        assertThrows(WorkflowFailedException.class, () -> result("run-cancel-canary"));
        assertEquals(0.0, ranker.trafficHistory.get(ranker.trafficHistory.size() - 1));
        List<VersionLifecycle> stages = registry.lifecycleOf("run-cancel-canary");
        assertTrue(!stages.isEmpty() && stages.stream().allMatch(VersionLifecycle.CANCELLED::equals), stages.toString());
        assertEquals(List.of(TrainingRunClosure.Status.KILLED), registry.closuresOf("run-cancel-canary"));
    }

    @Test
    void progressSignalsShowInTheStatusQuery() throws Exception {
        training.holdTraining = true;
        TrainingPipelineWorkflow run = start(PipelineFixtures.request("run-progress", PipelineFixtures.lenientGate()));
        try {
            awaitStep(run, PipelineStep.TRAIN);

            WorkflowStub.fromTyped(run).signal("trainingProgress", new TrainingProgress(0.5, 2, 0.31,
                    java.util.Map.of("val_wr_at_10", 0.52)));
            waitFor(() -> run.status().progress() == 0.5);

            assertEquals(0.52, run.status().latestMetrics().get("val_wr_at_10"));
            assertEquals(0.31, run.status().latestMetrics().get("loss"));
        } finally {
            training.holdTraining = false; // a failed assertion must not leave the activity spinning
        }
        awaitStep(run, PipelineStep.AWAIT_APPROVAL);
        assertEquals(0, run.status().progress(), "progress restarts with each step");
    }

    private static void waitFor(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.get() && System.nanoTime() < deadline) {
            Thread.sleep(25);
        }
        assertTrue(condition.get(), "condition never held");
    }

    /** Refreshes the replay test's input; copy it to src/test/resources/histories when the workflow changes. */
    private void writeHistory(String workflowId, String file) throws Exception {
        Path out = Path.of("target", "histories", file);
        Files.createDirectories(out.getParent());
        Files.writeString(out, client.fetchHistory(workflowId).toJson(true));
    }

    static class FakeExtraction implements ExtractionActivities {
        final AtomicInteger calls = new AtomicInteger();
        volatile String badData;

        @Override
        public DatasetManifest extract(ExtractionRequest request) {
            calls.incrementAndGet();
            if (badData != null) {
                throw ApplicationFailure.newNonRetryableFailure(badData, FailureTypes.BAD_EVENT_DATA);
            }
            return PipelineFixtures.dataset(request.runId());
        }
    }

    static class FakeTraining implements TrainingActivities {
        final AtomicInteger trainAttempts = new AtomicInteger();
        final AtomicInteger failuresBeforeSuccess = new AtomicInteger();
        volatile boolean holdTraining;

        @Override
        public TrainingResult train(TrainingRequest request) {
            trainAttempts.incrementAndGet();
            while (holdTraining && !Thread.currentThread().isInterrupted()) {
                io.temporal.activity.Activity.getExecutionContext().heartbeat(null);
                sleep(20);
            }
            if (failuresBeforeSuccess.getAndDecrement() > 0) {
                throw new IllegalStateException("trainer killed mid-epoch");
            }
            return PipelineFixtures.trained(request.runId());
        }

        @Override
        public EvaluationReport evaluate(EvaluationRequest request) {
            return PipelineFixtures.report(0.55, null);
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static class FakeRecords implements RunRecordActivities {
        final List<StepEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void record(StepEvent event) {
            events.add(event);
        }

        List<String> stepsOf(String runId) {
            return events.stream().filter(e -> e.runId().equals(runId)).map(e -> e.step() + ":" + e.status().wire()).toList();
        }

        List<Integer> sequencesOf(String runId) {
            return events.stream().filter(e -> e.runId().equals(runId)).map(StepEvent::sequence).toList();
        }

        List<Long> timesOf(String runId) {
            return events.stream().filter(e -> e.runId().equals(runId)).map(StepEvent::occurredAtMillis).toList();
        }
    }
}
