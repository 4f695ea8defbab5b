package io.rankops.platform.ranker;

import java.util.Map;

/**
 * GET /v1/arms/metrics: cumulative per arm (champion, candidate, baseline) since the arm's current
 * model version was loaded or the traffic split last changed, whichever is later. The
 * baseline arm (the caller's own order, serving while no champion exists) has no modelVersion.
 */
public record ArmMetricsView(Map<String, Arm> arms) {

    public record Arm(String modelVersion, String since, long requests, long users, long impressions, long clicks,
            long carts, long orders, long errors, double ordersPerUser, double ordersPerUserVariance, double ctr,
            double cartRate, double errorRate, double latencyP50Ms, double latencyP99Ms) {
    }
}
