package io.rankops.ranker.serving;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Cumulative online counters of one arm since its current model version was loaded. Orders are
 * kept per user because the canary's statistical test needs the variance of orders per user, not
 * only the mean.
 */
public final class ArmStats {

    private final String modelVersion;
    private final Instant since;
    private final LongAdder requests = new LongAdder();
    private final LongAdder impressions = new LongAdder();
    private final LongAdder clicks = new LongAdder();
    private final LongAdder carts = new LongAdder();
    private final LongAdder orders = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final ConcurrentHashMap<Long, AtomicLong> ordersByUser = new ConcurrentHashMap<>();
    /** Microseconds; auto-resizing, 3 significant digits. */
    private final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(3);

    public ArmStats(String modelVersion) {
        this.modelVersion = modelVersion;
        this.since = Instant.now();
    }

    public String modelVersion() {
        return modelVersion;
    }

    public Instant since() {
        return since;
    }

    public void recordServed(long userId, int items, long latencyNanos) {
        requests.increment();
        impressions.add(items);
        ordersByUser.computeIfAbsent(userId, id -> new AtomicLong());
        latencyMicros.recordValue(Math.max(0, latencyNanos / 1_000));
    }

    /** A request routed to this arm that got no ranking (bad features for this model, or a failure). */
    public void recordError(long latencyNanos) {
        requests.increment();
        errors.increment();
        latencyMicros.recordValue(Math.max(0, latencyNanos / 1_000));
    }

    public void recordEvent(FeedbackEvent event, long userId) {
        switch (event) {
            case CLICK -> clicks.increment();
            case ADD_TO_CART -> carts.increment();
            case PURCHASE -> {
                orders.increment();
                ordersByUser.computeIfAbsent(userId, id -> new AtomicLong()).incrementAndGet();
            }
        }
    }

    public long requests() {
        return requests.sum();
    }

    public long users() {
        return ordersByUser.size();
    }

    public long impressions() {
        return impressions.sum();
    }

    public long clicks() {
        return clicks.sum();
    }

    public long carts() {
        return carts.sum();
    }

    public long orders() {
        return orders.sum();
    }

    public long errors() {
        return errors.sum();
    }

    public double ordersPerUser() {
        long users = users();
        return users == 0 ? 0.0 : (double) ordersByUserSum() / users;
    }

    /** Population variance over the arm's users of each user's order count. */
    public double ordersPerUserVariance() {
        long n = 0;
        double mean = 0;
        double m2 = 0;
        for (AtomicLong count : ordersByUser.values()) {
            n++;
            double x = count.get();
            double delta = x - mean;
            mean += delta / n;
            m2 += delta * (x - mean);
        }
        return n == 0 ? 0.0 : m2 / n;
    }

    public double ctr() {
        return ratio(clicks(), impressions());
    }

    /** Add-to-cart events per impression. */
    public double cartRate() {
        return ratio(carts(), impressions());
    }

    public double errorRate() {
        return ratio(errors(), requests());
    }

    public double latencyP50Ms() {
        return latencyMicros.getTotalCount() == 0 ? 0.0 : latencyMicros.getValueAtPercentile(50.0) / 1000.0;
    }

    public double latencyP99Ms() {
        return latencyMicros.getTotalCount() == 0 ? 0.0 : latencyMicros.getValueAtPercentile(99.0) / 1000.0;
    }

    private long ordersByUserSum() {
        long sum = 0;
        for (AtomicLong count : ordersByUser.values()) {
            sum += count.get();
        }
        return sum;
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }
}
