package io.rankops.api.security;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Owner of table sign_in_failure. After {@code rankops.sign-in.free-failures} wrong passwords for
 * an account, or {@code free-failures-per-address} from one client address (higher: many people may
 * share an office's address), every further attempt for it is refused until a delay has passed that doubles with each failure (from {@code base-delay} up to {@code max-delay}), even with
 * the right password: guessing slows to a few tries an hour. A success clears the account's count.
 * The table is shared, so the limit holds across API replicas.
 */
@ApplicationScoped
public class SignInThrottle {

    private final EntityManager db;
    private final int freeFailures;
    private final int freeFailuresPerAddress;
    private final Duration baseDelay;
    private final Duration maxDelay;

    public SignInThrottle(EntityManager db,
            @ConfigProperty(name = "rankops.sign-in.free-failures", defaultValue = "5") int freeFailures,
            @ConfigProperty(name = "rankops.sign-in.free-failures-per-address", defaultValue = "100") int freeFailuresPerAddress,
            @ConfigProperty(name = "rankops.sign-in.base-delay", defaultValue = "PT2S") Duration baseDelay,
            @ConfigProperty(name = "rankops.sign-in.max-delay", defaultValue = "PT15M") Duration maxDelay) {
        this.db = db;
        this.freeFailures = freeFailures;
        this.freeFailuresPerAddress = freeFailuresPerAddress;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    /** Attribute of the AuthenticationFailedException of a blocked attempt: seconds to wait (a Long). */
    public static final String RETRY_AFTER_SECONDS = "rankops.retry-after-seconds";

    /** The refusal of an attempt made while blocked. */
    static AuthenticationFailedException blocked(Duration wait) {
        return new AuthenticationFailedException("too many failed sign-ins: try again in " + wait.toSeconds() + " s",
                Map.of(RETRY_AFTER_SECONDS, wait.toSeconds()));
    }

    static String accountKey(String username) {
        return "user:" + username;
    }

    static String addressKey(String address) {
        return "addr:" + address;
    }

    /** How long the caller must still wait before trying again, if blocked by either key. */
    public Optional<Duration> retryAfter(String username, String address) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Number> waits = db.createNativeQuery("""
                    SELECT ceil(extract(epoch FROM max(blocked_until) - now())) FROM sign_in_failure
                    WHERE throttle_key IN (?1, ?2) AND blocked_until > now()""")
                    .setParameter(1, accountKey(username)).setParameter(2, addressKey(address)).getResultList();
            Number seconds = waits.isEmpty() ? null : waits.get(0);
            return seconds == null ? Optional.<Duration>empty() : Optional.of(Duration.ofSeconds(Math.max(1, seconds.longValue())));
        });
    }

    public void failed(String username, String address) {
        QuarkusTransaction.requiringNew().run(() -> {
            bump(accountKey(username), freeFailures);
            bump(addressKey(address), freeFailuresPerAddress);
        });
    }

    public void succeeded(String username) {
        QuarkusTransaction.requiringNew().run(() -> db.createNativeQuery("DELETE FROM sign_in_failure WHERE throttle_key = ?1")
                .setParameter(1, accountKey(username)).executeUpdate());
    }

    /** Counts restart after an hour without failures, so yesterday's typos do not weigh on today. */
    private void bump(String key, int free) {
        db.createNativeQuery("""
                INSERT INTO sign_in_failure AS f (throttle_key, failures, last_failure_at) VALUES (?1, 1, now())
                ON CONFLICT (throttle_key) DO UPDATE SET
                  failures = CASE WHEN f.last_failure_at < now() - interval '1 hour' THEN 1 ELSE f.failures + 1 END,
                  last_failure_at = now()""")
                .setParameter(1, key).executeUpdate();
        db.createNativeQuery("""
                UPDATE sign_in_failure SET blocked_until = now() + least(?2, ?3 * power(2, failures - ?4 - 1)) * interval '1 second'
                WHERE throttle_key = ?1 AND failures > ?4""")
                .setParameter(1, key).setParameter(2, maxDelay.toSeconds()).setParameter(3, baseDelay.toSeconds())
                .setParameter(4, free).executeUpdate();
    }
}
