package io.rankops.ranker.serving;

import io.micrometer.core.instrument.Counter;
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
    /** Upper bounds of the candidate-count buckets of {@code rankops_ranker_rank_duration_seconds}. */
    static final int[] CANDIDATE_BUCKETS = {20, 100, 500, 1000, 5000};
    private final Map<Arm, Timer[]> durations = new EnumMap<>(Arm.class);
    private final Map<Arm, Counter> timeouts = new EnumMap<>(Arm.class);
    private final Map<Arm, Counter> unknownItems = new EnumMap<>(Arm.class);

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
            Timer[] byCount = new Timer[CANDIDATE_BUCKETS.length + 1];
            for (int b = 0; b < byCount.length; b++) {
                byCount[b] = Timer.builder("rankops.ranker.rank.duration")
                        .description("POST /v1/rank time inside the ranker, by arm and candidate count (histogram)")
                        .tags(tags.and("candidates", bucketName(b)))
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(100_000))
                        .maximumExpectedValue(Duration.ofSeconds(2))
                        .register(registry);
            }
            durations.put(arm, byCount);
            timeouts.put(arm, Counter.builder("rankops.ranker.rank.timeouts")
                    .description("requests answered in the caller's order because the deadline passed").tags(tags)
                    .register(registry));
            unknownItems.put(arm, Counter.builder("rankops.ranker.unknown.items")
                    .description("candidate item ids the model's item snapshot lacks (scored with its default row)")
                    .tags(tags).register(registry));
        }
    }

    /** "1-20", "21-100", ..., "1001-5000", "5001+". */
    static String bucketName(int bucket) {
        int low = bucket == 0 ? 1 : CANDIDATE_BUCKETS[bucket - 1] + 1;
        return bucket == CANDIDATE_BUCKETS.length ? low + "+" : low + "-" + CANDIDATE_BUCKETS[bucket];
    }

    static int bucketOf(int candidates) {
        for (int b = 0; b < CANDIDATE_BUCKETS.length; b++) {
            if (candidates <= CANDIDATE_BUCKETS[b]) {
                return b;
            }
        }
        return CANDIDATE_BUCKETS.length;
    }

    /** One ranking's time in the per-arm, per-candidate-count histogram. */
    public void recordDuration(Arm arm, int candidates, long nanos) {
        durations.get(arm)[bucketOf(candidates)].record(nanos, TimeUnit.NANOSECONDS);
    }

    public void recordTimeout(Arm arm) {
        timeouts.get(arm).increment();
    }

    public void recordUnknownItems(Arm arm, int count) {
        unknownItems.get(arm).increment(count);
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
