package io.rankops.ranker.api;

import io.rankops.platform.ranker.ArmMetricsView;
import io.rankops.ranker.serving.Arm;
import io.rankops.ranker.serving.ArmMetrics;
import io.rankops.ranker.serving.ArmStats;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

@Path("/v1/arms/metrics")
@Produces(MediaType.APPLICATION_JSON)
public class ArmMetricsResource {

    private final ArmMetrics metrics;

    public ArmMetricsResource(ArmMetrics metrics) {
        this.metrics = metrics;
    }

    @GET
    public ArmMetricsView metrics() {
        Map<String, ArmMetricsView.Arm> arms = new LinkedHashMap<>();
        for (Arm arm : Arm.values()) {
            ArmStats s = metrics.current(arm);
            arms.put(arm.alias(), new ArmMetricsView.Arm(s.modelVersion(), s.since().toString(), s.requests(), s.users(),
                    s.impressions(), s.clicks(), s.carts(), s.orders(), s.errors(), s.ordersPerUser(),
                    s.ordersPerUserVariance(), s.ctr(), s.cartRate(), s.errorRate(), s.latencyP50Ms(), s.latencyP99Ms()));
        }
        return new ArmMetricsView(arms);
    }
}
