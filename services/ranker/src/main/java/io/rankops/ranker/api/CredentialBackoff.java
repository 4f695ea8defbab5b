package io.rankops.ranker.api;

import io.rankops.ranker.RankerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Failed credential attempts per (realm, client address), so a password cannot be guessed at line
 * rate: after {@code freeFailures} failures in a row an address must wait before its next attempt
 * is even checked, and every further failure doubles the wait up to {@code maxDelay}. While it
 * waits, every attempt from it answers 429, right credential or not (else a guesser would learn
 * the password from which attempt was not refused). A success clears the address. The table keeps
 * at most {@code maxAddresses} (least recently seen forgotten first), so it is bounded too.
 *
 * <p>The address is the connection's peer; behind a proxy, set {@code quarkus.http.proxy.*} so it
 * is the client's (docs/deploy.md).
 */
@ApplicationScoped
public class CredentialBackoff {

    private final int freeFailures;
    private final long initialNanos;
    private final long maxNanos;
    private final Map<String, Failures> byAddress;
    private final LongSupplier clock;

    @Inject
    public CredentialBackoff(RankerSettings settings) {
        this(settings.authBackoff().freeFailures(), settings.authBackoff().initialDelay(),
                settings.authBackoff().maxDelay(), settings.authBackoff().maxAddresses(), System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime()} (tests pass their own) */
    CredentialBackoff(int freeFailures, Duration initialDelay, Duration maxDelay, int maxAddresses, LongSupplier clock) {
        this.clock = clock;
        this.freeFailures = freeFailures;
        this.initialNanos = initialDelay.toNanos();
        this.maxNanos = maxDelay.toNanos();
        this.byAddress = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > maxAddresses;
            }
        };
    }

    /** How long this address must still wait before an attempt is checked; zero when it may try now. */
    public synchronized Duration waitBefore(ServiceCredentials.Realm realm, String address) {
        Failures failures = byAddress.get(key(realm, address));
        long left = failures == null ? 0 : failures.blockedUntil - clock.getAsLong();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    public synchronized void failed(ServiceCredentials.Realm realm, String address) {
        long now = clock.getAsLong();
        Failures failures = byAddress.computeIfAbsent(key(realm, address), k -> new Failures(now));
        failures.count++;
        int beyond = failures.count - freeFailures;
        if (beyond > 0) {
            long delay = initialNanos; // 1, 2, 4, ... × initialDelay, at most maxDelay
            for (int i = 1; i < beyond && delay < maxNanos; i++) {
                delay *= 2;
            }
            delay = Math.min(delay, maxNanos);
            failures.blockedUntil = now + delay;
        }
    }

    public synchronized void succeeded(ServiceCredentials.Realm realm, String address) {
        byAddress.remove(key(realm, address));
    }

    private static String key(ServiceCredentials.Realm realm, String address) {
        return realm.label() + " " + address;
    }

    private static final class Failures {
        int count;
        long blockedUntil;

        Failures(long now) {
            this.blockedUntil = now;
        }
    }
}
