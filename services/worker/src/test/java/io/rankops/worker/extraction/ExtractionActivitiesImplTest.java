package io.rankops.worker.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankops.platform.storage.ObjectStore;
import io.rankops.worker.support.StackEnv;
import io.rankops.workflows.pipeline.activities.ExtractionActivities;
import io.rankops.workflows.pipeline.records.DatasetManifest;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The activity as Temporal runs it: heartbeats reach the server, bad data fails non-retryably. */
class ExtractionActivitiesImplTest {

    private static final LocalDate DAY1 = LocalDate.of(2024, 4, 1);

    private TestActivityEnvironment temporal;
    private ExtractionActivities activities;
    private EventPartitions partitions;
    private String eventsPrefix;
    private String datasetsPrefix;
    private final List<Object> heartbeats = new ArrayList<>();

    @BeforeEach
    void setUp() {
        ObjectStore store = StackEnv.objectStore();
        eventsPrefix = StackEnv.uniquePrefix("events");
        datasetsPrefix = StackEnv.uniquePrefix("datasets");
        partitions = new EventPartitions(store, eventsPrefix);
        temporal = TestActivityEnvironment.newInstance();
        temporal.registerActivitiesImplementations(new ExtractionActivitiesImpl(
                new DatasetExtractor(store, eventsPrefix, datasetsPrefix)));
        temporal.setActivityHeartbeatListener(Object.class, heartbeats::add);
        activities = temporal.newActivityStub(ExtractionActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1)).build());
    }

    @AfterEach
    void tearDown() {
        temporal.close();
        StackEnv.deleteUnder(eventsPrefix);
        StackEnv.deleteUnder(datasetsPrefix);
    }

    @Test
    void extractsAndHeartbeatsBetweenFiles() {
        partitions.uploadDays(DAY1, DAY1.plusDays(2));

        DatasetManifest manifest = activities.extract(
                DatasetExtractorTest.request(DAY1, DAY1.plusDays(2), null, 1, 1));

        assertEquals((long) EventPartitions.ROWS_PER_DAY, manifest.rowCounts().get("train"));
        // The SDK throttles what reaches the server; the first heartbeat always goes out.
        assertTrue(!heartbeats.isEmpty() && heartbeats.get(0).toString().contains("dt=2024-04-01"),
                heartbeats.toString());
    }

    @Test
    void badEventDataIsANonRetryableApplicationFailure() {
        partitions.upload(DAY1);

        ActivityFailure failure = assertThrows(ActivityFailure.class, () -> activities.extract(
                DatasetExtractorTest.request(DAY1, DAY1.plusDays(2), null, 1, 1)));

        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failure.getCause());
        assertEquals("BadEventData", cause.getType());
        assertTrue(cause.isNonRetryable());
        assertTrue(cause.getOriginalMessage().contains("dt=2024-04-02/"), cause.getOriginalMessage());
    }
}
