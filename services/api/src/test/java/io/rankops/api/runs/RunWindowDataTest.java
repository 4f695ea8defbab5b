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

/**
 * A run over days without events, or naming regions the events lack, is refused at once, naming
 * them (not minutes later in extraction). The events live under a prefix of this test's own, so
 * the stack's seeded events and their feature spec are never touched.
 */
@QuarkusTest
@TestProfile(RunWindowDataTest.WithDataCheck.class)
class RunWindowDataTest {

    public static class WithDataCheck implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rankops.runs.require-event-data", "true", "rankops.events.prefix", PREFIX);
        }
    }

    static final String PREFIX = "api-test-events/";

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
        return EventPartitions.day(PREFIX, day) + "part-0.parquet";
    }

    @AfterEach
    void removeTheSeed() {
        written.forEach(store::delete);
        store.delete(key(start.plusDays(1)));
        store.delete(PREFIX + EventPartitions.FEATURE_SPEC);
    }

    @Test
    void regionsComeFromTheEventsFeatureSpecAndOthersAreRefusedNamingThem() {
        for (String key : written) {
            store.put(key, "placeholder".getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        }
        store.put(key(start.plusDays(1)), "placeholder".getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        store.put(PREFIX + EventPartitions.FEATURE_SPEC,
                "{\"regions\": [\"SG\", \"BR\", \"MX\"], \"categorical\": []}".getBytes(StandardCharsets.UTF_8),
                "application/json");
        accounts.as(TestAccounts.ENGINEER).when().get("/api/runs/defaults")
                .then().statusCode(200).body("regions", contains("SG", "BR", "MX"))
                .body("gate.metrics", contains("displayed_wr", "prerank_wr"));
        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON)
                .body("{\"modelFamily\": \"mmoe\", \"regions\": [\"SG\", \"US\"], \"gate\": {\"regionFloors\": {\"FR\": 0.1}},"
                        + " \"window\": {\"start\": \"" + start + "\", \"end\": \"" + start.plusDays(2) + "\"}}")
                .when().post("/api/runs")
                .then().statusCode(400)
                .body("violations.field", contains("regions[1]", "gate.regionFloors[FR]"))
                .body("violations[0].message", containsString("unknown region US; the events declare SG, BR, MX"));
        // A schedule would start such runs every week: refused when it is created.
        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON)
                .body("{\"id\": \"regions-" + start + "\", \"cron\": \"0 3 * * MON\", \"windowDays\": 3, \"paused\": true,"
                        + " \"run\": {\"modelFamily\": \"mmoe\", \"regions\": [\"BR\", \"DE\"]}}")
                .when().post("/api/schedules")
                .then().statusCode(400)
                .body("violations.field", contains("run.regions[1]"))
                .body("violations[0].message", containsString("unknown region DE"));
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
