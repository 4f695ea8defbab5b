package io.rankops.api.security;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rankops.api.db.NativeValues;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.security.AuthenticationFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Owner of table sign_in_failure. After {@code rankops.sign-in.free-failures} wrong passwords for
 * an account, or {@code free-failures-per-address} from one client address (higher: many people may
 * share an office's address), every further attempt for it is refused until a delay has passed that
 * doubles with each failure (from {@code base-delay} up to {@code max-delay}), even with the right
 * password: guessing slows to a few tries an hour. The table is shared, so the limit holds across
 * API replicas.
 * <p>
 * A failure is counted after its password check, so guesses sent in parallel at one unblocked moment
 * are all checked (at most as many as the API has worker threads); the block then holds for all.
 * Counting before the check would close that gap but block a script's parallel, correct requests.
 */
@ApplicationScoped
public class SignInThrottle {

    /** Attribute of the AuthenticationFailedException of a blocked attempt: seconds to wait (a Long). */
    public static final String RETRY_AFTER_SECONDS = "rankops.retry-after-seconds";
    /** Counts restart after this long without failures, so yesterday's typos do not weigh on today. */
    static final Duration FORGET_AFTER = Duration.ofHours(1);

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

    private record Count(int failures, OffsetDateTime lastFailureAt, OffsetDateTime now) {
    }

    /** How long the caller must still wait before trying again, if the account or the address is blocked. */
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

    /** A wrong password: counted for the account and the address, under each key's row lock. */
    public void failed(String username, String address) {
        QuarkusTransaction.requiringNew().run(() -> {
            // Always account before address: concurrent failures lock rows in one order, never deadlock.
            count(accountKey(username), lock(accountKey(username)), freeFailures);
            count(addressKey(address), lock(addressKey(address)), freeFailuresPerAddress);
        });
    }

    /** The right password: the account's count goes (the address keeps its own). */
    public void succeeded(String username) {
        QuarkusTransaction.requiringNew().run(() -> db.createNativeQuery("DELETE FROM sign_in_failure WHERE throttle_key = ?1")
                .setParameter(1, accountKey(username)).executeUpdate());
    }

    /** Rows whose last failure is a day old count for nothing any more. */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeForgotten() {
        QuarkusTransaction.requiringNew().run(() -> db.createNativeQuery(
                "DELETE FROM sign_in_failure WHERE last_failure_at < now() - interval '1 day' "
                        + "AND (blocked_until IS NULL OR blocked_until < now())").executeUpdate());
    }

    private Count lock(String key) {
        db.createNativeQuery("INSERT INTO sign_in_failure (throttle_key, failures, last_failure_at) VALUES (?1, 0, now()) "
                + "ON CONFLICT (throttle_key) DO NOTHING").setParameter(1, key).executeUpdate();
        Object[] row = (Object[]) db.createNativeQuery("SELECT failures, last_failure_at, now() "
                + "FROM sign_in_failure WHERE throttle_key = ?1 FOR UPDATE").setParameter(1, key).getSingleResult();
        return new Count(((Number) row[0]).intValue(), NativeValues.offsetDateTime(row[1]),
                NativeValues.offsetDateTime(row[2]));
    }

    private void count(String key, Count before, int free) {
        boolean forgotten = before.lastFailureAt().isBefore(before.now().minus(FORGET_AFTER));
        int failures = forgotten ? 1 : before.failures() + 1;
        long blockSeconds = failures <= free ? 0
                : Math.min(maxDelay.toSeconds(), baseDelay.toSeconds() << Math.min(30, failures - free - 1));
        db.createNativeQuery("UPDATE sign_in_failure SET failures = ?2, last_failure_at = now(), "
                        + "blocked_until = CASE WHEN ?3 > 0 THEN now() + ?3 * interval '1 second' END WHERE throttle_key = ?1")
                .setParameter(1, key).setParameter(2, failures).setParameter(3, blockSeconds).executeUpdate();
    }
}
