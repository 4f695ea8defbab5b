package io.rankops.ranker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankops.ranker.api.ServiceCredentials.Realm;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The backoff's arithmetic on a clock of the test's own. */
class CredentialBackoffUnitTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final CredentialBackoff backoff = new CredentialBackoff(2, Duration.ofSeconds(1), Duration.ofSeconds(5), 2, now::get);

    @Test
    void freeFailuresThenADoublingDelayUpToTheCap() {
        backoff.failed(Realm.ADMIN, "a");
        backoff.failed(Realm.ADMIN, "a");
        assertEquals(Duration.ZERO, backoff.waitBefore(Realm.ADMIN, "a"), "two failures are free");
        long[] expectedSeconds = {1, 2, 4, 5, 5};
        for (long seconds : expectedSeconds) {
            backoff.failed(Realm.ADMIN, "a");
            assertEquals(Duration.ofSeconds(seconds), backoff.waitBefore(Realm.ADMIN, "a"));
            now.addAndGet(Duration.ofSeconds(seconds).toNanos());
            assertEquals(Duration.ZERO, backoff.waitBefore(Realm.ADMIN, "a"), "the wait ends");
        }
    }

    @Test
    void aSuccessClearsTheAddressAndRealmsAndAddressesCountApart() {
        for (int i = 0; i < 3; i++) {
            backoff.failed(Realm.ADMIN, "a");
        }
        assertEquals(Duration.ofSeconds(1), backoff.waitBefore(Realm.ADMIN, "a"));
        assertEquals(Duration.ZERO, backoff.waitBefore(Realm.FEEDBACK, "a"));
        assertEquals(Duration.ZERO, backoff.waitBefore(Realm.ADMIN, "b"));
        backoff.succeeded(Realm.ADMIN, "a");
        assertEquals(Duration.ZERO, backoff.waitBefore(Realm.ADMIN, "a"));
        backoff.failed(Realm.ADMIN, "a");
        backoff.failed(Realm.ADMIN, "a");
        assertEquals(Duration.ZERO, backoff.waitBefore(Realm.ADMIN, "a"), "counting starts again after a success");
    }

    @Test
    void theTableIsBounded() {
        for (String address : new String[] {"a", "b", "c"}) {
            for (int i = 0; i < 3; i++) {
                backoff.failed(Realm.ADMIN, address);
            }
        }
        // two addresses at most: the least recently failing one ("a") is forgotten
        assertEquals(Duration.ZERO, backoff.waitBefore(Realm.ADMIN, "a"));
        assertEquals(Duration.ofSeconds(1), backoff.waitBefore(Realm.ADMIN, "c"));
    }

    @Test
    void pathsAreNormalisedBeforeTheRealmIsChosen() {
        assertEquals(Realm.FEEDBACK, CredentialFilter.realm("//v1//feedback/"));
        assertEquals(Realm.ADMIN, CredentialFilter.realm("/admin"));
        assertEquals(Realm.ADMIN, CredentialFilter.realm("//admin/traffic/"));
        assertEquals(null, CredentialFilter.realm("/v1/rank"));
        assertEquals(null, CredentialFilter.realm("/administrator"));
    }
}
