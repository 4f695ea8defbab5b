package io.rankops.ranker.serving;

import io.rankops.ranker.RankerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which arm and model version served each recent request, so feedback events count for the model
 * that produced the ranking. Bounded: beyond {@code rankops.ranker.feedback-capacity} requests the
 * oldest are forgotten (their feedback then answers 404).
 */
@ApplicationScoped
public class FeedbackLog {

    private final Map<String, Served> served;

    public FeedbackLog(RankerSettings settings) {
        int capacity = settings.feedbackCapacity();
        this.served = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Served> eldest) {
                return size() > capacity;
            }
        };
    }

    public void remember(Served request) {
        synchronized (served) {
            served.put(request.requestId(), request);
        }
    }

    public Optional<Served> find(String requestId) {
        synchronized (served) {
            return Optional.ofNullable(served.get(requestId));
        }
    }

    /**
     * One ranked request.
     *
     * @param itemIds the ranked item ids, sorted (for the membership check)
     * @param stats where this request's events count
     * @param events "itemId:event" already counted: a retried report does not count twice
     */
    public record Served(String requestId, Arm arm, String modelVersion, long userId, long[] itemIds, ArmStats stats,
            Set<String> events) {

        public Served(String requestId, Arm arm, String modelVersion, long userId, long[] itemIds, ArmStats stats) {
            this(requestId, arm, modelVersion, userId, sorted(itemIds), stats, ConcurrentHashMap.newKeySet());
        }

        public boolean ranked(long itemId) {
            return Arrays.binarySearch(itemIds, itemId) >= 0;
        }

        /** Counts the event once per item and request; false when it was already counted. */
        public boolean count(long itemId, FeedbackEvent event) {
            if (!events.add(itemId + ":" + event.wireName())) {
                return false;
            }
            stats.recordEvent(event, userId);
            return true;
        }

        private static long[] sorted(long[] ids) {
            long[] copy = ids.clone();
            Arrays.sort(copy);
            return copy;
        }
    }
}
