package io.rankops.ranker.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rankops.ranker.support.FeedbackSource;
import io.rankops.ranker.support.RankerAdmin;
import io.rankops.ranker.support.UniqueModelProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Guessing the admin password from one address stops after a few tries: every later attempt is a
 * 429 with Retry-After, the right password included, while the feedback realm stays open to the
 * same address. The first delay is long (10 min), so nothing here depends on how fast requests go;
 * the doubling, the cap and the reset are {@link CredentialBackoffUnitTest}'s.
 */
@QuarkusTest
@TestProfile(CredentialBackoffTest.Profile.class)
class CredentialBackoffTest {

    public static class Profile extends UniqueModelProfile {
        @Override
        protected Map<String, String> settings() {
            return Map.of("rankops.ranker.auth-backoff.free-failures", "3",
                    "rankops.ranker.auth-backoff.initial-delay", "10m",
                    "rankops.ranker.auth-backoff.max-delay", "1h");
        }
    }

    @Test
    void guessesFromOneAddressAreThrottled() {
        for (int i = 0; i < 4; i++) {
            guess("guess-" + i).then().statusCode(401);
        }
        int checked = 0;
        int throttled = 0;
        for (int i = 0; i < 48; i++) {
            Response answer = guess("guess-more-" + i);
            if (answer.statusCode() == 429) {
                throttled++;
                long retryAfter = Long.parseLong(answer.header("Retry-After"));
                assertTrue(retryAfter > 0 && retryAfter <= 600, "Retry-After " + retryAfter);
            } else {
                checked++;
            }
        }
        assertEquals(0, checked, "no guess was checked while the address waits");
        assertEquals(48, throttled);
        // the right password waits too: otherwise the one attempt not refused would give it away
        RankerAdmin.request().get("/admin/models").then().statusCode(429).body("error", containsString("try again"));
        // the feedback realm keeps its own count
        FeedbackSource.request().body("{}").post("/v1/feedback").then().statusCode(400);
    }

    private static Response guess(String password) {
        return given().auth().preemptive().basic(RankerAdmin.user(), password).get("/admin/traffic");
    }
}
