package io.rankops.api.policy;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The loosest gate and canary the platform lets a run ask for. A run may be stricter on every
 * count (a higher minimum WR@K, less regression allowed, longer bakes, more users per arm, a smaller
 * first step, more steps), never looser.
 *
 * @param maxK                a run's gate measures WR@K at this K or a smaller one (a larger K is an
 *                            easier bar: WR@100 ≥ 0.1 says little)
 * @param minWeightedRecall   a run's gate must ask at least this WR@K
 * @param maxRegression       a run's gate may allow at most this drop below the champion
 * @param requireCanary       every run must be approved into a canary (no promotion at approval)
 * @param minBakeSeconds      each canary step bakes at least this long
 * @param minUsersPerArm      a step is judged on at least this many users per arm
 * @param maxFirstStepPercent the first step sends at most this share of buyers to the candidate
 * @param minSteps            the canary has at least this many steps (the last is 100 %)
 * @param maxPrerankK         a gate on pre-rank WR@K (over the whole candidate set) measures it at
 *                            this K or a smaller one: the pre-ranker keeps its top K for the next
 *                            stage, and a K beyond what it keeps measures nothing that is served.
 *                            Floors stored before it existed read the configured value
 */
public record PolicyFloor(
        @NotNull @Min(1) @Max(100) Integer maxK,
        @NotNull @DecimalMin("0") @DecimalMax("1") Double minWeightedRecall,
        @NotNull @DecimalMin("0") @DecimalMax("1") Double maxRegression,
        @NotNull Boolean requireCanary,
        @NotNull @Min(1) @Max(604800) Long minBakeSeconds,
        @NotNull @Min(1) @Max(1000000) Long minUsersPerArm,
        @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("100") Double maxFirstStepPercent,
        @NotNull @Min(1) @Max(10) Integer minSteps,
        @NotNull @Min(1) @Max(5000) Integer maxPrerankK) {
}
