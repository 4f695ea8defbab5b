package io.rankops.api.runs;

import io.rankops.platform.storage.EventPartitions;
import io.rankops.platform.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which days of a run's window have no event partition in the bucket: a run over missing days
 * would only fail minutes later in extraction, so {@code POST /api/runs} refuses it at once.
 */
@ApplicationScoped
public class EventWindow {

    private final ObjectStore store;
    private final String prefix;
    private final boolean required;

    public EventWindow(ObjectStore store,
            @ConfigProperty(name = "rankops.events.prefix", defaultValue = EventPartitions.DEFAULT_PREFIX) String prefix,
            @ConfigProperty(name = "rankops.runs.require-event-data", defaultValue = "true") boolean required) {
        this.store = store;
        this.prefix = prefix;
        this.required = required;
    }

    /** The days from start to end (both inclusive, at most RunDefaults.MAX_WINDOW_DAYS) without a partition. */
    public List<LocalDate> missingDays(LocalDate start, LocalDate end) {
        List<LocalDate> missing = new ArrayList<>();
        if (!required) {
            return missing;
        }
        for (LocalDate day = start; !day.isAfter(end); day = day.plusDays(1)) {
            if (store.listKeys(EventPartitions.day(prefix, day)).stream().noneMatch(k -> k.endsWith(".parquet"))) {
                missing.add(day);
            }
        }
        return missing;
    }

    public String describe() {
        return prefix + "dt=YYYY-MM-DD/ in bucket " + store.bucket();
    }
}
