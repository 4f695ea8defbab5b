package io.rankops.api.runs;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rankops.api.support.TestAccounts;
import io.rankops.platform.storage.EventPartitions;
import io.rankops.platform.storage.ObjectStore;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A run over days without events is refused at once, naming the days (not minutes later in extraction). */
@QuarkusTest
@TestProfile(RunWindowDataTest.WithDataCheck.class)
class RunWindowDataTest {

    public static class WithDataCheck implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rankops.runs.require-event-data", "true");
        }
    }

    @Inject
    TestAccounts accounts;
    @Inject
    ObjectStore store;
    @Inject
    EventWindow events;

    /** Three days in a year nobody seeds, different on every run of the test. */
    private final LocalDate start = LocalDate.of(2093, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(300));
    private final List<String> written = List.of(key(start), key(start.plusDays(2)));

    private static String key(LocalDate day) {
        return EventPartitions.day(EventPartitions.DEFAULT_PREFIX, day) + "part-0.parquet";
    }

    @AfterEach
    void removeTheSeed() {
        written.forEach(store::delete);
        store.delete(key(start.plusDays(1)));
    }

    @Test
    void aWindowWithAMissingDayIsRefusedNamingIt() {
        for (String key : written) {
            store.put(key, "placeholder".getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        }
        LocalDate missing = start.plusDays(1);
        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON)
                .body("{\"modelFamily\": \"mmoe\", \"window\": {\"start\": \"" + start + "\", \"end\": \"" + start.plusDays(2)
                        + "\"}}")
                .when().post("/api/runs")
                .then().statusCode(400)
                .body("violations.field", contains("window"))
                .body("violations[0].message", containsString("no events for " + missing))
                .body("violations[0].message", not(containsString(start.toString() + ",")));

        store.put(key(missing), "placeholder".getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        assertEquals(List.of(), events.missingDays(start, start.plusDays(2)));
    }
}
