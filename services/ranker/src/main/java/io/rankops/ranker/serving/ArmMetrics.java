package io.rankops.ranker.serving;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Objects;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * Per-arm {@link ArmStats} for the arm's current model version (the baseline arm has none), also exported to Prometheus
 * (/q/metrics) as gauges tagged {@code arm}, plus a latency timer with p50/p99 per arm.
 */
@ApplicationScoped
public class ArmMetrics {

    private final Map<Arm, AtomicReference<ArmStats>> current = new EnumMap<>(Arm.class);
    private final Map<Arm, Timer> latency = new EnumMap<>(Arm.class);
    private final MeterRegistry registry;

    public ArmMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Arm arm : Arm.values()) {
            AtomicReference<ArmStats> stats = new AtomicReference<>(new ArmStats(null));
            current.put(arm, stats);
            Tags tags = Tags.of("arm", arm.alias());
            gauge(registry, "rankops.ranker.arm.requests", tags, stats, ArmStats::requests);
            gauge(registry, "rankops.ranker.arm.users", tags, stats, ArmStats::users);
            gauge(registry, "rankops.ranker.arm.impressions", tags, stats, ArmStats::impressions);
            gauge(registry, "rankops.ranker.arm.clicks", tags, stats, ArmStats::clicks);
            gauge(registry, "rankops.ranker.arm.carts", tags, stats, ArmStats::carts);
            gauge(registry, "rankops.ranker.arm.orders", tags, stats, ArmStats::orders);
            gauge(registry, "rankops.ranker.arm.errors", tags, stats, ArmStats::errors);
            gauge(registry, "rankops.ranker.arm.orders.per.user", tags, stats, ArmStats::ordersPerUser);
            gauge(registry, "rankops.ranker.arm.orders.per.user.variance", tags, stats, ArmStats::ordersPerUserVariance);
            gauge(registry, "rankops.ranker.arm.ctr", tags, stats, ArmStats::ctr);
            gauge(registry, "rankops.ranker.arm.cart.rate", tags, stats, ArmStats::cartRate);
            gauge(registry, "rankops.ranker.arm.error.rate", tags, stats, ArmStats::errorRate);
            gauge(registry, "rankops.ranker.arm.latency.p50.ms", tags, stats, ArmStats::latencyP50Ms);
            gauge(registry, "rankops.ranker.arm.latency.p99.ms", tags, stats, ArmStats::latencyP99Ms);
            gauge(registry, "rankops.ranker.arm.model.version", tags, stats, s -> versionNumber(s.modelVersion()));
            latency.put(arm, Timer.builder("rankops.ranker.rank.latency")
                    .description("POST /v1/rank time inside the ranker, by serving arm")
                    .tags(tags)
                    .publishPercentiles(0.5, 0.99)
                    .distributionStatisticExpiry(Duration.ofMinutes(5))
                    .register(registry));
        }
    }

    /**
     * The traffic split changed (a canary's next step): every arm restarts its counters, so the
     * analysis compares arms over the same period with a fixed assignment of users. Cumulative
     * counts across steps would bias orders per user against the candidate, whose newly moved
     * users have had less time to order than the champion's.
     */
    public void startComparison() {
        for (Arm arm : Arm.values()) {
            current.get(arm).updateAndGet(stats -> new ArmStats(stats.modelVersion()));
        }
    }

    /** The arm's alias is gone: it serves no version, and its counters say so. */
    public void onModelUnloaded(Arm arm) {
        current.get(arm).set(new ArmStats(null));
    }

    /** Called before a newly loaded version takes traffic: a different version starts from zero. */
    public void onModelLoaded(Arm arm, String version) {
        current.get(arm).updateAndGet(stats -> version.equals(stats.modelVersion()) ? stats : new ArmStats(version));
    }

    public ArmStats current(Arm arm) {
        return current.get(arm).get();
    }

    /**
     * Where a request served by {@code version} counts: the arm's current stats, or — for a request
     * still finishing on a version that was just swapped out — stats nobody reads.
     */
    public ArmStats statsFor(Arm arm, String version) {
        ArmStats stats = current(arm);
        return Objects.equals(version, stats.modelVersion()) ? stats : new ArmStats(version);
    }

    /**
     * A ranking refused for what the caller sent (4xx). Not an arm error (a caller could otherwise
     * roll a canary back), but visible: a candidate that needs a feature callers do not send
     * shows up here as a rise of 400s.
     */
    public void recordRejected(int status) {
        registry.counter("rankops.ranker.rank.rejected", "status", Integer.toString(status)).increment();
    }

    public void recordLatency(Arm arm, long nanos) {
        latency.get(arm).record(nanos, TimeUnit.NANOSECONDS);
    }

    private static void gauge(MeterRegistry registry, String name, Tags tags, AtomicReference<ArmStats> stats,
            ToDoubleFunction<ArmStats> value) {
        Gauge.builder(name, stats, ref -> value.applyAsDouble(ref.get())).tags(tags).register(registry);
    }

    private static double versionNumber(String version) {
        try {
            return version == null ? Double.NaN : Double.parseDouble(version);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
