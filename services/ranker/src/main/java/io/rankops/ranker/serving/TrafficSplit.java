package io.rankops.ranker.serving;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which users the candidate serves. A user's bucket is a hash of the user id modulo 10,000, fixed
 * for life; the candidate takes buckets below {@code candidatePercent × 100}. So a user stays in
 * one arm while the percentage holds, and raising it only moves users from champion to candidate.
 * The split applies only while the loaded candidate is the version it names: when the candidate
 * alias moves on, the new version takes no traffic until the split names it.
 */
@ApplicationScoped
public class TrafficSplit {

    public static final int BUCKETS = 10_000;

    private final AtomicReference<Settings> settings = new AtomicReference<>(new Settings(null, 0.0));

    public Settings get() {
        return settings.get();
    }

    public void set(Settings next) {
        settings.set(next);
    }

    /** True when this user goes to a candidate of {@code candidateVersion}. */
    public boolean routesToCandidate(long userId, String candidateVersion) {
        Settings current = settings.get();
        return current.candidateVersion() != null
                && current.candidateVersion().equals(candidateVersion)
                && bucket(userId) < Math.round(current.candidatePercent() * (BUCKETS / 100.0));
    }

    /** MurmurHash3's 64-bit finalizer: cheap, and consecutive ids land in unrelated buckets. */
    public static int bucket(long userId) {
        long h = userId;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) Math.floorMod(h, (long) BUCKETS);
    }

    /** The candidate version the split is for, and the share of users it gets (0..100). */
    public record Settings(String candidateVersion, double candidatePercent) {
    }
}
