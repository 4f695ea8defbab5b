package io.rankops.workflows.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankops.workflows.TaskQueues;
import io.rankops.workflows.pipeline.FakeRegistry;
import io.rankops.workflows.pipeline.records.VersionLifecycle;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CanaryRolloutWorkflowTest {

    private static final Duration BAKE = Duration.ofMinutes(30);
    private TestWorkflowEnvironment env;
    private WorkflowClient client;
    private SimulatedRanker ranker;
    private final FakeRegistry registry = new FakeRegistry();

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    private void startWorker(SimulatedRanker simulated) {
        ranker = simulated;
        Worker worker = env.newWorker(TaskQueues.PIPELINE);
        worker.registerWorkflowImplementationTypes(CanaryRolloutWorkflowImpl.class);
        worker.registerActivitiesImplementations(simulated, registry);
        env.start();
    }

    private CanaryRolloutWorkflow stub(String id) {
        return client.newWorkflowStub(CanaryRolloutWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.PIPELINE).build());
    }

    private static RolloutRequest request(String runId) {
        return new RolloutRequest(runId, "rankops-ranker", "7", RolloutPolicy.standard(BAKE));
    }

    @Test
    void aGoodModelIsPromotedThroughEveryStep() throws Exception {
        startWorker(new SimulatedRanker(0.30, 0.31));

        RolloutResult result = stub("good-rollout").rollout(request("run-good"));

        assertEquals(RolloutOutcome.PROMOTED, result.outcome(), result.reason());
        assertEquals(List.of(5.0, 25.0, 50.0, 100.0, 0.0), ranker.trafficHistory);
        assertEquals(List.of(VersionLifecycle.CHAMPION), registry.lifecycleOf("run-good"));
        assertTrue(ranker.promoted.isEmpty(), "promotion goes through the registry's lifecycle, not the old activity");
        assertEquals(3, result.decisions().size());
        assertTrue(result.decisions().stream().allMatch(d -> CanaryDecision.CHAMPION.equals(d.comparedWith())));
        assertTrue(result.decisions().stream().allMatch(d -> d.verdict() == CanaryVerdict.CONTINUE));
        assertEquals(List.of(5.0, 25.0, 50.0), result.decisions().stream().map(CanaryDecision::trafficPercent).toList());

        Path out = Path.of("target", "histories", "canary-rollout-promoted.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, client.fetchHistory("good-rollout").toJson(true));
    }

    @Test
    void aDegradedModelIsRolledBackAtTheFirstStepAndNeverGetsMoreTraffic() {
        startWorker(new SimulatedRanker(0.30, 0.15));

        RolloutResult result = stub("bad-rollout").rollout(request("run-bad"));

        assertEquals(RolloutOutcome.ROLLED_BACK, result.outcome());
        assertEquals(5.0, result.maxTrafficPercent());
        assertEquals(List.of(5.0, 0.0), ranker.trafficHistory);
        assertTrue(ranker.promoted.isEmpty(), "the champion alias never moves");
        assertEquals(List.of(VersionLifecycle.ROLLED_BACK), registry.lifecycleOf("run-bad"));
        assertTrue(result.reason().contains("significantly fewer orders per user"), result.reason());
        CanaryDecision decision = result.decisions().get(0);
        assertEquals(1000, decision.candidateUsers());
        assertTrue(decision.zScore() < -1.645, "z " + decision.zScore());
    }

    @Test
    void withTooLittleTrafficTheStepBakesLongerThenGivesUp() {
        startWorker(new SimulatedRanker(0.30, 0.30, 800)); // 40 candidate users a bake at 5 %

        RolloutResult result = stub("thin-rollout").rollout(request("run-thin"));

        assertEquals(RolloutOutcome.ROLLED_BACK, result.outcome());
        assertTrue(result.reason().startsWith("not enough traffic to judge after 4 bakes"), result.reason());
        assertEquals(4, result.decisions().size());
        assertEquals(List.of(5.0, 0.0), ranker.trafficHistory);
        assertEquals(List.of(VersionLifecycle.ROLLED_BACK), registry.lifecycleOf("run-thin"));
    }

    @Test
    void theFirstModelIsJudgedAgainstTheBaselineAndBecomesChampion() throws Exception {
        startWorker(SimulatedRanker.withoutChampion(0.20, 0.30));

        RolloutResult result = stub("first-rollout").rollout(request("run-first"));

        assertEquals(RolloutOutcome.PROMOTED, result.outcome(), result.reason());
        assertEquals(3, result.decisions().size());
        for (CanaryDecision decision : result.decisions()) {
            assertEquals(CanaryVerdict.CONTINUE, decision.verdict(), decision.reasons().toString());
            assertEquals(CanaryDecision.BASELINE, decision.comparedWith());
            assertTrue(decision.championUsers() > 0, "the baseline arm has users");
            assertTrue(decision.reasons().get(0).contains("vs baseline (no champion yet)"), decision.reasons().toString());
        }
        assertEquals(List.of(VersionLifecycle.CHAMPION), registry.lifecycleOf("run-first"));

        Path out = Path.of("target", "histories", "canary-rollout-vs-baseline.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, client.fetchHistory("first-rollout").toJson(true));
    }

    @Test
    void aFirstModelWorseThanTodaysOrderIsRolledBack() {
        startWorker(SimulatedRanker.withoutChampion(0.30, 0.15));

        RolloutResult result = stub("first-bad-rollout").rollout(request("run-first-bad"));

        assertEquals(RolloutOutcome.ROLLED_BACK, result.outcome());
        assertTrue(result.reason().contains("vs baseline (no champion yet)"), result.reason());
        assertEquals(List.of(5.0, 0.0), ranker.trafficHistory);
        assertEquals(List.of(VersionLifecycle.ROLLED_BACK), registry.lifecycleOf("run-first-bad"));
    }

    @Test
    void cancellingTheRolloutTakesTheCandidatesTrafficAndAlias() {
        startWorker(new SimulatedRanker(0.30, 0.31));
        CanaryRolloutWorkflow rollout = stub("cancelled-rollout");
        WorkflowClient.start(rollout::rollout, request("run-cancelled"));
        env.sleep(BAKE.plusMinutes(5));

        client.newUntypedWorkflowStub("cancelled-rollout").cancel();

        assertThrows(WorkflowFailedException.class,
                () -> client.newUntypedWorkflowStub("cancelled-rollout").getResult(RolloutResult.class));
        assertEquals(List.of(5.0, 25.0, 0.0), ranker.trafficHistory);
        assertEquals(List.of(VersionLifecycle.CANCELLED), registry.lifecycleOf("run-cancelled"));
    }

    @Test
    void pauseStopsTheClockAndResumeGoesOn() {
        startWorker(new SimulatedRanker(0.30, 0.31));
        CanaryRolloutWorkflow rollout = stub("paused-rollout");
        WorkflowClient.start(rollout::rollout, request("run-paused"));
        rollout.pause();

        env.sleep(BAKE.multipliedBy(3));
        assertEquals(0, rollout.status().decisions().size(), "no judgement while paused");
        assertTrue(rollout.status().paused());

        rollout.resume();
        RolloutResult result = client.newUntypedWorkflowStub("paused-rollout").getResult(RolloutResult.class);
        assertEquals(RolloutOutcome.PROMOTED, result.outcome());
    }

    @Test
    void abortSetsTrafficToZeroAndKeepsTheChampion() {
        startWorker(new SimulatedRanker(0.30, 0.31));
        CanaryRolloutWorkflow rollout = stub("aborted-rollout");
        WorkflowClient.start(rollout::rollout, request("run-abort"));
        env.sleep(BAKE.plusMinutes(5)); // into the second step

        rollout.abort("checkout incident in NL");

        RolloutResult result = client.newUntypedWorkflowStub("aborted-rollout").getResult(RolloutResult.class);
        assertEquals(RolloutOutcome.ABORTED, result.outcome());
        assertEquals("aborted: checkout incident in NL", result.reason());
        assertEquals(List.of(5.0, 25.0, 0.0), ranker.trafficHistory);
        assertTrue(ranker.promoted.isEmpty());
        assertEquals(List.of(VersionLifecycle.ABORTED), registry.lifecycleOf("run-abort"));
    }

    @Test
    void promoteNowSkipsTheRemainingSteps() {
        startWorker(new SimulatedRanker(0.30, 0.31));
        CanaryRolloutWorkflow rollout = stub("early-rollout");
        WorkflowClient.start(rollout::rollout, request("run-early"));

        rollout.promoteNow("hotfix for a pricing bug");

        RolloutResult result = client.newUntypedWorkflowStub("early-rollout").getResult(RolloutResult.class);
        assertEquals(RolloutOutcome.PROMOTED, result.outcome());
        assertEquals(List.of(VersionLifecycle.CHAMPION), registry.lifecycleOf("run-early"));
        assertEquals(List.of(5.0, 0.0), ranker.trafficHistory);
    }
}
