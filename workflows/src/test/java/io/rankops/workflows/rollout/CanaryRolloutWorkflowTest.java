package io.rankops.workflows.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankops.workflows.TaskQueues;
import io.temporal.client.WorkflowClient;
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
        worker.registerActivitiesImplementations(simulated);
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
        assertEquals(List.of("7"), ranker.promoted);
        assertEquals(3, result.decisions().size());
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
    }

    @Test
    void promoteNowSkipsTheRemainingSteps() {
        startWorker(new SimulatedRanker(0.30, 0.31));
        CanaryRolloutWorkflow rollout = stub("early-rollout");
        WorkflowClient.start(rollout::rollout, request("run-early"));

        rollout.promoteNow("hotfix for a pricing bug");

        RolloutResult result = client.newUntypedWorkflowStub("early-rollout").getResult(RolloutResult.class);
        assertEquals(RolloutOutcome.PROMOTED, result.outcome());
        assertEquals(List.of("7"), ranker.promoted);
        assertEquals(List.of(5.0, 0.0), ranker.trafficHistory);
    }
}
