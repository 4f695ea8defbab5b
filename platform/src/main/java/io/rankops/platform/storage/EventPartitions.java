package io.rankops.platform.storage;

import java.time.LocalDate;

/**
 * Where search-log events live in the platform bucket: one Hive-style partition per day,
 * {@code events/dt=YYYY-MM-DD/}. The worker's extraction reads them, the API checks a run's
 * window against them, the trainer's seeder writes them (rankops_world/seed_events.py).
 */
public final class EventPartitions {

    /** The default prefix of the partitions in the bucket. */
    public static final String DEFAULT_PREFIX = "events/";

    /**
     * The event source's feature spec beside the partitions ({@code prefix + FEATURE_SPEC}): which
     * columns are features and which regions (markets) the events have. The underscore keeps it out
     * of every partition listing.
     */
    public static final String FEATURE_SPEC = "_feature_spec.json";

    /** The key prefix of one day's partition under {@code prefix} (which ends with "/"). */
    public static String day(String prefix, LocalDate day) {
        return prefix + "dt=" + day + "/";
    }

    private EventPartitions() {
    }
}
