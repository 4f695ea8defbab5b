package io.rankops.ranker.serving;

import io.rankops.ranker.RankerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The ranked lists that can still take feedback, by requestId. Bounded three ways
 * ({@code rankops.ranker.impressions.*}): lists, items over all lists, and age; whichever bound is
 * hit first forgets the oldest lists. Lists are kept in the order they were served, which is also
 * their expiry order, so eviction only ever looks at the head.
 *
 * <p>Each list gets a feedback token of 128 bits from {@link SecureRandom}. A random token rather
 * than an HMAC: the ranker checks it against the list it remembers anyway (the list holds the
 * items, the funnel state and the arm), so a key would add something to configure and rotate
 * without letting the ranker check anything more; a guess succeeds with probability 2^-128, and a
 * restart forgets the lists and their tokens together.
 */
@ApplicationScoped
public class Impressions {

    private static final int TOKEN_BYTES = 16;

    private final int maxRequests;
    private final long maxItems;
    private final long ttlNanos;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Impression> byRequest = new LinkedHashMap<>();
    private final LongSupplier clock;
    private long items;

    @Inject
    public Impressions(RankerSettings settings) {
        this(settings.impressions().maxRequests(), settings.impressions().maxItems(), settings.impressions().ttl(),
                System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime()} (tests pass their own) */
    Impressions(int maxRequests, long maxItems, Duration ttl, LongSupplier clock) {
        this.clock = clock;
        this.maxRequests = maxRequests;
        this.maxItems = maxItems;
        this.ttlNanos = ttl.toNanos();
    }

    /** A fresh, unguessable feedback token (URL-safe Base64, 22 characters). */
    public String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** When a list served now stops taking feedback. */
    public long expiryFromNow() {
        return clock.getAsLong() + ttlNanos;
    }

    /** Remembers a served list; false (and nothing changed) when its requestId is remembered already. */
    public synchronized boolean remember(Impression impression) {
        evict(clock.getAsLong());
        if (byRequest.putIfAbsent(impression.requestId(), impression) != null) {
            return false;
        }
        items += impression.size();
        evict(clock.getAsLong());
        return true;
    }

    public synchronized boolean contains(String requestId) {
        evict(clock.getAsLong());
        return byRequest.containsKey(requestId);
    }

    public synchronized Optional<Impression> find(String requestId) {
        evict(clock.getAsLong());
        return Optional.ofNullable(byRequest.get(requestId));
    }

    /** What is remembered now. */
    public synchronized Usage usage() {
        evict(clock.getAsLong());
        return new Usage(byRequest.size(), items);
    }

    public record Usage(int lists, long items) {
    }

    private void evict(long now) {
        Iterator<Impression> oldestFirst = byRequest.values().iterator();
        while (oldestFirst.hasNext()) {
            Impression oldest = oldestFirst.next();
            if (byRequest.size() <= maxRequests && items <= maxItems && !oldest.expired(now)) {
                return;
            }
            oldestFirst.remove();
            items -= oldest.size();
        }
    }
}
