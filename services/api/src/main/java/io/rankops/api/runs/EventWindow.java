package io.rankops.api.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankops.api.errors.ApiError;
import io.rankops.platform.storage.EventPartitions;
import io.rankops.platform.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What the event source in the bucket offers a run: which days of a window have no partition (a
 * run over missing days would only fail minutes later in extraction, so {@code POST /api/runs}
 * refuses it at once), and which regions its feature spec declares (the markets a run may name).
 */
@ApplicationScoped
public class EventWindow {

    private static final Logger LOG = Logger.getLogger(EventWindow.class);

    private final ObjectStore store;
    private final ObjectMapper json;
    private final String prefix;
    private final boolean required;

    public EventWindow(ObjectStore store, ObjectMapper json,
            @ConfigProperty(name = "rankops.events.prefix", defaultValue = EventPartitions.DEFAULT_PREFIX) String prefix,
            @ConfigProperty(name = "rankops.runs.require-event-data", defaultValue = "true") boolean required) {
        this.store = store;
        this.json = json;
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

    /**
     * The regions (markets) the event source's feature spec declares, in its order; empty when no
     * events are seeded yet, the spec cannot be read or the check is off.
     */
    public List<String> declaredRegions() {
        if (!required) {
            return List.of();
        }
        Optional<byte[]> spec;
        try {
            spec = store.get(prefix + EventPartitions.FEATURE_SPEC);
        } catch (ObjectStore.ObjectStoreException e) {
            LOG.warnf("could not read the event source's feature spec: %s", e.getMessage());
            return List.of();
        }
        if (spec.isEmpty()) {
            return List.of();
        }
        try {
            JsonNode regions = json.readTree(spec.get()).path("regions");
            List<String> names = new ArrayList<>();
            regions.forEach(r -> names.add(r.asText()));
            return List.copyOf(names);
        } catch (IOException e) {
            LOG.warnf("the event source's feature spec %s is not JSON: %s", prefix + EventPartitions.FEATURE_SPEC,
                    e.getMessage());
            return List.of();
        }
    }

    /**
     * The run's regions and region floors that the event source does not declare, as violations
     * naming each field; none when it declares no regions (nothing seeded yet, or MinIO unreachable:
     * extraction then says which region is unknown).
     */
    public List<ApiError.Violation> undeclaredRegions(RunRequest run) {
        List<String> declared = declaredRegions();
        List<ApiError.Violation> unknown = new ArrayList<>();
        if (declared.isEmpty()) {
            return unknown;
        }
        String known = "; the events declare " + String.join(", ", declared);
        List<String> asked = run.regions() == null ? List.of() : run.regions();
        for (int i = 0; i < asked.size(); i++) {
            if (!declared.contains(asked.get(i))) {
                unknown.add(new ApiError.Violation("regions[" + i + "]", "unknown region " + asked.get(i) + known));
            }
        }
        Map<String, Double> floors = run.gate() == null || run.gate().regionFloors() == null ? Map.of()
                : run.gate().regionFloors();
        for (String region : new TreeSet<>(floors.keySet())) {
            if (!declared.contains(region)) {
                unknown.add(new ApiError.Violation("gate.regionFloors[" + region + "]", "unknown region " + region + known));
            }
        }
        return unknown;
    }

    public String describeSpec() {
        return prefix + EventPartitions.FEATURE_SPEC + " in bucket " + store.bucket();
    }

    public String describe() {
        return prefix + "dt=YYYY-MM-DD/ in bucket " + store.bucket();
    }
}
