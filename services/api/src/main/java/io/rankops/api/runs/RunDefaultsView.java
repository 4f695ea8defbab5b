package io.rankops.api.runs;

import io.rankops.workflows.rollout.RolloutPolicy;
import java.time.Duration;
import java.util.List;

/**
 * GET /api/runs/defaults: every default and allowed value of a run request, read from
 * {@link RunDefaults} (the API, the schedules and the web UI's New run page all use these).
 * The rollout block is the standard canary a person gets when they ask for one.
 */
public record RunDefaultsView(String modelName, List<String> modelFamilies, List<String> regions, List<String> tasks,
        List<String> devices, boolean regionMask, String device, int approvalTimeoutHours, Window window, Params params,
        Gate gate, Rollout rollout) {

    public record Window(int minDays, int maxDays) {
    }

    public record Params(int epochs, int batchSize, double learningRate, int embeddingDim, int patience, long seed) {
    }

    /** {@code metrics}: the WR@K a gate may judge; {@code metric}: the one it judges unless asked. */
    public record Gate(int k, double minWeightedRecall, double maxRegression, String metric, List<String> metrics) {
    }

    public record Rollout(long bakeSeconds, List<Double> stepsPercent, long minUsersPerArm) {
    }

    /** {@code regions}: what the event source declares (empty before any events are seeded). */
    static RunDefaultsView current(List<String> regions) {
        RolloutPolicy standard = RolloutPolicy.standard(Duration.ofSeconds(RunDefaults.ROLLOUT_BAKE_SECONDS));
        return new RunDefaultsView(RunDefaults.MODEL_NAME, RunDefaults.MODEL_FAMILIES, regions,
                RunDefaults.TASKS, RunDefaults.DEVICES, false, RunDefaults.DEVICE, RunDefaults.APPROVAL_TIMEOUT_HOURS,
                new Window(RunDefaults.MIN_WINDOW_DAYS, RunDefaults.MAX_WINDOW_DAYS),
                new Params(RunDefaults.EPOCHS, RunDefaults.BATCH_SIZE, RunDefaults.LEARNING_RATE, RunDefaults.EMBEDDING_DIM,
                        RunDefaults.PATIENCE, RunDefaults.SEED),
                new Gate(RunDefaults.GATE_K, RunDefaults.GATE_MIN_WEIGHTED_RECALL, RunDefaults.GATE_MAX_REGRESSION,
                        RunDefaults.GATE_METRIC, RunDefaults.GATE_METRICS),
                new Rollout(standard.bake().toSeconds(), standard.stepsPercent(), standard.minUsersPerArm()));
    }
}
