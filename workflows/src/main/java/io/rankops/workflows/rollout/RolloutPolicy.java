package io.rankops.workflows.rollout;

import java.time.Duration;
import java.util.List;

/**
 * How a candidate earns traffic. After each step but the last, the arms are compared (see
 * {@link CanaryAnalysis}); the last step (normally 100 %) is the promotion itself.
 *
 * @param stepsPercent          candidate traffic per step, increasing, ending at 100
 * @param bake                  how long each step runs before it is judged
 * @param minUsersPerArm        below this many users in either arm a step is not judged but baked longer
 * @param maxBakeExtensions     extra bakes allowed for lack of users before the rollout gives up (rolls back)
 * @param alpha                 one-sided significance level of the orders-per-user test
 * @param maxErrorRateIncrease  guardrail: candidate error rate may exceed the champion's by at most this (absolute)
 * @param maxP99LatencyRatio    guardrail: candidate p99 latency may be at most this multiple of the champion's
 */
public record RolloutPolicy(List<Double> stepsPercent, Duration bake, long minUsersPerArm, int maxBakeExtensions,
        double alpha, double maxErrorRateIncrease, double maxP99LatencyRatio) {

    public static RolloutPolicy standard(Duration bake) {
        return new RolloutPolicy(List.of(5.0, 25.0, 50.0, 100.0), bake, 200, 3, 0.05, 0.01, 1.5);
    }
}
