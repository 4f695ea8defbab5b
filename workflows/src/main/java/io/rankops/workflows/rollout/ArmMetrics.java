package io.rankops.workflows.rollout;

/**
 * One arm's online metrics as the ranker reports them: cumulative since its model version
 * was loaded. Orders per user carries its variance across users for the statistical test.
 */
public record ArmMetrics(String modelVersion, long requests, long users, long impressions, long clicks, long carts,
        long orders, long errors, double ordersPerUser, double ordersPerUserVariance, double ctr, double errorRate,
        double latencyP50Ms, double latencyP99Ms) {
}
