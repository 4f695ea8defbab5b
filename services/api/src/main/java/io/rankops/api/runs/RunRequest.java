package io.rankops.api.runs;

import io.rankops.platform.names.RegistryNames;
import io.rankops.workflows.pipeline.DataWindow;
import io.rankops.workflows.pipeline.GateMetric;
import io.rankops.workflows.pipeline.GatePolicy;
import io.rankops.workflows.pipeline.PipelineRequest;
import io.rankops.workflows.pipeline.TrainingParams;
import io.rankops.workflows.rollout.RolloutPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a person asks for when starting a run. Only the model family and the window are
 * required; everything else falls back to {@link RunDefaults}.
 */
public record RunRequest(
        @Size(max = 128) @Pattern(regexp = RegistryNames.MODEL_NAME_PATTERN, message = "letters, digits, '.', '_' and '-' only")
        String modelName,
        @NotNull @Pattern(regexp = RunDefaults.MODEL_FAMILY_PATTERN,
                message = "must be one of shared_bottom, mmoe, ple, esmm, resflow, seq_md")
        String modelFamily,
        Boolean regionMask,
        @NotNull @Valid Window window,
        @Size(max = RunDefaults.MAX_REGIONS) List<@NotNull @Pattern(regexp = RunDefaults.REGION_PATTERN,
                message = "a region code: 2 or 3 capital letters (GET /api/runs/defaults lists the events' regions)") String> regions,
        @Valid Params params,
        @Valid Gate gate,
        @Pattern(regexp = RunDefaults.DEVICE_PATTERN, message = "must be auto, cpu or gpu") String device,
        @Min(1) @Max(336) Integer approvalTimeoutHours,
        @Pattern(regexp = "ui|api", message = "must be ui or api (schedules start their own runs)") String trigger,
        @Valid Rollout rollout) {

    /** Days of event partitions, both ends inclusive. */
    @WindowRange
    public record Window(@NotNull LocalDate start, @NotNull LocalDate end) {
    }

    public record Params(
            @Min(1) @Max(500) Integer epochs,
            @Min(8) @Max(65536) Integer batchSize,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double learningRate,
            @Min(2) @Max(1024) Integer embeddingDim,
            @Min(0) @Max(100) Integer patience,
            @Min(0) Long seed,
            @Size(max = 3, message = "at most one weight per task (click, cart, purchase)") Map<@NotNull @Pattern(regexp = RunDefaults.TASK_PATTERN, message = "unknown task; known: click, cart, purchase") String,
                    @NotNull @DecimalMin("0") @DecimalMax("100") Double> taskLossWeights) {
    }

    public record Gate(
            @Min(1) @Max(5000) Integer k,
            @DecimalMin("0") @DecimalMax("1") Double minWeightedRecall,
            @DecimalMin("0") @DecimalMax("1") Double maxRegression,
            @Size(max = RunDefaults.MAX_REGIONS, message = "at most one floor per region") Map<@NotNull @Pattern(regexp = RunDefaults.REGION_PATTERN, message = "a region code: 2 or 3 capital letters (GET /api/runs/defaults lists the events' regions)") String,
                    @NotNull @DecimalMin("0") @DecimalMax("1") Double> regionFloors,
            @Pattern(regexp = GateMetric.PATTERN, message = "must be displayed_wr (WR@K of the shown list) or prerank_wr "
                    + "(WR@K over the candidate set)") String metric,
            @Size(max = 3, message = "at most one weight per engagement kind (click, cart, order)") Map<@NotNull @Pattern(regexp = GatePolicy.ENGAGEMENT_KINDS, message = "unknown engagement kind; known: click, cart, order") String,
                    @NotNull @DecimalMin("0") @DecimalMax("100") Double> engagementWeights) {
    }

    /**
     * The canary after approval. Unset fields take the standard policy: steps 5, 25, 50, 100 %,
     * 15 min bakes, 200 users per arm before a step is judged. Without a rollout, approval makes
     * the version champion at once.
     */
    public record Rollout(@Min(10) @Max(604800) Integer bakeSeconds,
            @Size(min = 1, max = 10) List<@NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("100") Double> stepsPercent,
            @Min(1) @Max(1000000) Integer minUsersPerArm) {

        RolloutPolicy toPolicy() {
            RolloutPolicy standard = RolloutPolicy.standard(Duration.ofSeconds(
                    bakeSeconds == null ? RunDefaults.ROLLOUT_BAKE_SECONDS : bakeSeconds));
            List<Double> steps = stepsPercent == null ? standard.stepsPercent() : ascendingToFull(stepsPercent);
            return new RolloutPolicy(steps, standard.bake(), minUsersPerArm == null ? standard.minUsersPerArm() : minUsersPerArm,
                    standard.maxBakeExtensions(), standard.alpha(), standard.maxErrorRateIncrease(),
                    standard.maxP99LatencyRatio());
        }

        /** Sorted and distinct, always ending at 100 %: the last step is the promotion. */
        private static List<Double> ascendingToFull(List<Double> steps) {
            TreeSet<Double> sorted = new TreeSet<>(steps);
            sorted.add(100.0);
            return List.copyOf(sorted);
        }
    }

    /** The workflow's input, every gap filled with its default. */
    public PipelineRequest toPipelineRequest(String runId, String triggeredBy) {
        Params p = params == null ? new Params(null, null, null, null, null, null, null) : params;
        Gate g = gate == null ? new Gate(null, null, null, null, null, null) : gate;
        return new PipelineRequest(runId, triggeredBy, or(trigger, RunDefaults.TRIGGER),
                or(modelName, RunDefaults.MODEL_NAME), modelFamily, Boolean.TRUE.equals(regionMask),
                new DataWindow(window.start(), window.end()), regions == null ? List.of() : List.copyOf(regions),
                new TrainingParams(or(p.epochs(), RunDefaults.EPOCHS), or(p.batchSize(), RunDefaults.BATCH_SIZE),
                        or(p.learningRate(), RunDefaults.LEARNING_RATE), or(p.embeddingDim(), RunDefaults.EMBEDDING_DIM),
                        or(p.patience(), RunDefaults.PATIENCE), or(p.seed(), RunDefaults.SEED),
                        p.taskLossWeights() == null ? Map.of() : Map.copyOf(p.taskLossWeights())),
                new GatePolicy(or(g.k(), RunDefaults.GATE_K), or(g.minWeightedRecall(), RunDefaults.GATE_MIN_WEIGHTED_RECALL),
                        or(g.maxRegression(), RunDefaults.GATE_MAX_REGRESSION),
                        g.regionFloors() == null ? Map.of() : Map.copyOf(g.regionFloors()),
                        or(g.metric(), RunDefaults.GATE_METRIC),
                        g.engagementWeights() == null || g.engagementWeights().isEmpty() ? null
                                : Map.copyOf(g.engagementWeights())),
                or(device, RunDefaults.DEVICE),
                Duration.ofHours(or(approvalTimeoutHours, RunDefaults.APPROVAL_TIMEOUT_HOURS)),
                rollout == null ? null : rollout.toPolicy());
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
