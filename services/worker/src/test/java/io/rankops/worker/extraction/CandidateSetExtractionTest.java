package io.rankops.worker.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankops.worker.extraction.DatasetExtractorTest.SplitFile;
import io.rankops.worker.extraction.DatasetExtractorTest.WriteCountingObjectStore;
import io.rankops.worker.support.StackEnv;
import io.rankops.workflows.pipeline.records.DatasetManifest;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Candidate-set events (docs/data.md): every retrieved candidate a row, shown or not, with the
 * logging policy's columns. Against the stack's real MinIO, each test under its own roots. The
 * partitions are {@link EventPartitions}' (only candidate 0 has behaviour) where candidates 0
 * and 1 are shown and candidate 2 was retrieved but not shown.
 */
class CandidateSetExtractionTest {

    private static final LocalDate DAY1 = LocalDate.of(2024, 4, 1);
    private static final double EPSILON = 1e-9;

    private WriteCountingObjectStore store;
    private EventPartitions partitions;
    private DatasetExtractor extractor;
    private String eventsPrefix;
    private String datasetsPrefix;

    @BeforeEach
    void uniqueRoots() {
        store = new WriteCountingObjectStore();
        eventsPrefix = StackEnv.uniquePrefix("events");
        datasetsPrefix = StackEnv.uniquePrefix("datasets");
        partitions = new EventPartitions(store, eventsPrefix);
        extractor = new DatasetExtractor(store, eventsPrefix, datasetsPrefix);
    }

    @AfterEach
    void deleteTestObjects() {
        StackEnv.deleteUnder(eventsPrefix);
        StackEnv.deleteUnder(datasetsPrefix);
    }

    static Map<String, String> candidateSetColumns() {
        Map<String, String> columns = EventPartitions.defaultColumns();
        columns.put(EventSchema.SHOWN, "(CASE WHEN c < 2 THEN 1 ELSE 0 END)::INTEGER");
        columns.put(EventSchema.DISPLAY_POSITION, "(CASE WHEN c < 2 THEN c ELSE -1 END)::INTEGER");
        columns.put(EventSchema.PRERANK_KEPT, "1::INTEGER");
        columns.put(EventSchema.PRERANK_POSITION, "c::INTEGER");
        columns.put(EventSchema.PROPENSITY, "(CASE WHEN c < 2 THEN 0.9 ELSE 0.2 END)::DOUBLE");
        columns.put(EventSchema.PROPENSITY_KEPT, "1.0::DOUBLE");
        return columns;
    }

    @Test
    void acceptsCandidateSetsAndRatesLabelsPerImpression() throws Exception {
        for (int i = 0; i < 3; i++) {
            partitions.upload(DAY1.plusDays(i), candidateSetColumns());
        }

        DatasetManifest manifest = extractor.extract(DatasetExtractorTest.request(DAY1, DAY1.plusDays(2), null, 1, 1),
                ExtractionProgress.NONE);

        // Every candidate is a row of the dataset ...
        assertEquals((long) EventPartitions.ROWS_PER_DAY, manifest.rowCounts().get("test"));
        // ... while label rates are per impression: EU shows 2 per request, candidate 0 is clicked in each.
        assertEquals(1.0 / 2, manifest.labelRates().get("EU").get("click"), EPSILON);
        assertEquals(1.0 / 4, manifest.labelRates().get("EU").get("purchase"), EPSILON);
        String datasetKey = datasetsPrefix + manifest.datasetId() + "/";
        JsonNode stored = new ObjectMapper().readTree(store.get(datasetKey + "manifest.json").orElseThrow());
        assertEquals("candidate-set", stored.path("eventSchema").asText());
        try (SplitFile test = SplitFile.download(store, datasetKey + "test.parquet")) {
            List<String> columns = test.strings("SELECT column_name FROM (DESCRIBE SELECT * FROM split)");
            assertTrue(columns.containsAll(EventSchema.CANDIDATE_SET_COLUMNS), columns.toString());
            assertEquals(List.of("4"), test.strings("SELECT count(*) FROM split WHERE shown = 0"));
        }
    }

    @Test
    void displayedListsStillSayWhatTheyAre() throws Exception {
        partitions.uploadDays(DAY1, DAY1.plusDays(2));
        DatasetManifest manifest = extractor.extract(DatasetExtractorTest.request(DAY1, DAY1.plusDays(2), null, 1, 1),
                ExtractionProgress.NONE);
        JsonNode stored = new ObjectMapper().readTree(
                store.get(datasetsPrefix + manifest.datasetId() + "/manifest.json").orElseThrow());
        assertEquals("displayed-list", stored.path("eventSchema").asText());
    }

    @Test
    void aLabelOnAnUnshownRowNamesFileColumnAndRequest() {
        String badKey = uploadWith(c -> c.put("click",
                "(CASE WHEN c = 0 OR (r = 1 AND c = 2) THEN 1 ELSE 0 END)::INTEGER"));
        ExtractionRejectedException e = refused();
        assertTrue(e.getMessage().startsWith(badKey + ": column 'click' is 1 on a row with shown = 0"), e.getMessage());
        assertTrue(e.getMessage().contains("20240403-r1"), e.getMessage());
    }

    @Test
    void aShownRowWithoutAPositionIsRefused() {
        String badKey = uploadWith(c -> c.put(EventSchema.DISPLAY_POSITION,
                "(CASE WHEN c < 2 AND NOT (r = 3 AND c = 1) THEN c ELSE -1 END)::INTEGER"));
        ExtractionRejectedException e = refused();
        assertTrue(e.getMessage().startsWith(badKey + ": column 'display_position' is -1 on a shown row"),
                e.getMessage());
        assertTrue(e.getMessage().contains("20240403-r3"), e.getMessage());
    }

    @Test
    void anUnshownRowWithAPositionIsRefused() {
        String badKey = uploadWith(c -> c.put(EventSchema.DISPLAY_POSITION, "c::INTEGER"));
        ExtractionRejectedException e = refused();
        assertTrue(e.getMessage().startsWith(badKey + ": column 'display_position' is 2 on a row with shown = 0"),
                e.getMessage());
    }

    @Test
    void aZeroPropensityOnAShownRowIsRefused() {
        String badKey = uploadWith(c -> c.put(EventSchema.PROPENSITY,
                "(CASE WHEN c = 1 THEN 0.0 WHEN c = 0 THEN 0.9 ELSE 0.2 END)::DOUBLE"));
        ExtractionRejectedException e = refused();
        assertTrue(e.getMessage().startsWith(badKey + ": column 'propensity' is 0.0 on a shown row, must be in (0, 1]"),
                e.getMessage());
    }

    @Test
    void aPropensityAboveOneOrMissingIsRefused() {
        String badKey = uploadWith(c -> c.put(EventSchema.PROPENSITY, "(CASE WHEN r = 2 THEN 1.5 ELSE 0.5 END)::DOUBLE"));
        ExtractionRejectedException e = refused();
        assertTrue(e.getMessage().startsWith(badKey + ": column 'propensity' has value 1.5, must be a probability"),
                e.getMessage());
        assertEquals("BadEventData", e.failureType());

        StackEnv.deleteUnder(eventsPrefix);
        partitions = new EventPartitions(store, eventsPrefix);
        String nullKey = uploadWith(c -> c.put(EventSchema.PROPENSITY, "(CASE WHEN r = 2 THEN NULL ELSE 0.5 END)::DOUBLE"));
        ExtractionRejectedException missing = refused();
        assertTrue(missing.getMessage().startsWith(nullKey + ": column 'propensity' has value null"),
                missing.getMessage());
    }

    @Test
    void aShownRowTheLoggingPreRankerDidNotKeepIsRefused() {
        String badKey = uploadWith(c -> c.put(EventSchema.PRERANK_KEPT, "(CASE WHEN c = 0 THEN 0 ELSE 1 END)::INTEGER"));
        ExtractionRejectedException e = refused();
        assertTrue(e.getMessage().startsWith(badKey + ": column 'prerank_kept' is 0 on a shown row"), e.getMessage());
    }

    @Test
    void aMissingRequiredCandidateSetColumnOrAStrayOneIsNamed() {
        String badKey = uploadWith(c -> c.remove(EventSchema.PROPENSITY));
        ExtractionRejectedException e = refused();
        assertTrue(e.getMessage().equals(badKey + ": required column 'propensity' is missing"), e.getMessage());

        StackEnv.deleteUnder(eventsPrefix);
        partitions = new EventPartitions(store, eventsPrefix);
        String strayKey = uploadWith(c -> c.remove(EventSchema.SHOWN));
        ExtractionRejectedException stray = refused();
        assertTrue(stray.getMessage().startsWith(strayKey + ": column 'display_position' belongs to the candidate-set"
                + " schema, which needs the column 'shown' too"), stray.getMessage());
    }

    @Test
    void aWrongTypeForACandidateSetColumnIsNamed() {
        String badKey = uploadWith(c -> c.put(EventSchema.PROPENSITY, "'high'"));
        ExtractionRejectedException e = refused();
        assertTrue(e.getMessage().startsWith(badKey + ": column 'propensity' has type VARCHAR, expected a float"),
                e.getMessage());
    }

    @Test
    void theShownFlagCannotBeDeclaredAFeature() {
        for (int i = 0; i < 3; i++) {
            partitions.upload(DAY1.plusDays(i), candidateSetColumns());
        }
        partitions.declareFeatures("{\"categorical\": [{\"name\": \"user_id\", \"cardinality\": 3}], "
                + "\"numerical\": [\"text_relevance\", \"shown\"]}");
        ExtractionRejectedException e = refused();
        assertTrue(e.getMessage().contains("column shown describes the logging policy"), e.getMessage());
    }

    /** Days 1 and 2 are good candidate sets; day 3 has the change; returns day 3's key. */
    private String uploadWith(Consumer<Map<String, String>> change) {
        partitions.upload(DAY1, candidateSetColumns());
        partitions.upload(DAY1.plusDays(1), candidateSetColumns());
        Map<String, String> columns = candidateSetColumns();
        change.accept(columns);
        return partitions.upload(DAY1.plusDays(2), columns);
    }

    private ExtractionRejectedException refused() {
        ExtractionRejectedException e = assertThrows(ExtractionRejectedException.class,
                () -> extractor.extract(DatasetExtractorTest.request(DAY1, DAY1.plusDays(2), null, 1, 1),
                        ExtractionProgress.NONE));
        assertEquals("BadEventData", e.failureType());
        assertEquals(0, store.writesUnder(datasetsPrefix), "nothing half-written");
        return e;
    }
}
