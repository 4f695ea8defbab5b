package io.rankops.worker.rollout;

import io.rankops.platform.ranker.ArmMetricsView;
import io.rankops.platform.ranker.TrafficView;
import io.rankops.workflows.rollout.ArmMetrics;
import io.rankops.workflows.rollout.ArmSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * What the rollout and registry activities ask of the ranker, in the workflows' terms. Every failure
 * (refused, unreachable, timed out) is a {@link RankerCallException}: the rollout's retry policy
 * rides out a ranker restart.
 */
@ApplicationScoped
public class RankerClient {

    private final RankerAdminClient ranker;

    public RankerClient(@RestClient RankerAdminClient ranker) {
        this.ranker = ranker;
    }

    public void setCandidateTraffic(String candidateVersion, double percent) {
        call("PUT /admin/traffic", () -> ranker.setTraffic(new TrafficView(candidateVersion, percent)));
    }

    public void reloadModels() {
        call("POST /admin/models/reload", () -> {
            ranker.reloadModels();
            return null;
        });
    }

    public ArmSnapshot armMetrics() {
        Map<String, ArmMetricsView.Arm> arms = call("GET /v1/arms/metrics", ranker::armMetrics).arms();
        return new ArmSnapshot(modelArm(arms.get("champion")), modelArm(arms.get("candidate")), arm(arms.get("baseline")));
    }

    /** A model arm with no model loaded is no arm: while no champion exists the baseline stands in. */
    private static ArmMetrics modelArm(ArmMetricsView.Arm arm) {
        return arm == null || arm.modelVersion() == null ? null : arm(arm);
    }

    private static ArmMetrics arm(ArmMetricsView.Arm arm) {
        if (arm == null) {
            return null;
        }
        return new ArmMetrics(arm.modelVersion(), arm.requests(), arm.users(), arm.impressions(), arm.clicks(),
                arm.carts(), arm.orders(), arm.errors(), arm.ordersPerUser(), arm.ordersPerUserVariance(), arm.ctr(),
                arm.errorRate(), arm.latencyP50Ms(), arm.latencyP99Ms());
    }

    private static <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (RuntimeException e) {
            throw new RankerCallException("ranker " + what + " failed: " + e.getMessage(), e);
        }
    }

    /** Retryable: the rollout's retry policy rides out a ranker restart. */
    public static class RankerCallException extends RuntimeException {
        RankerCallException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
