package io.rankops.worker.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankops.platform.storage.ObjectStore;
import io.rankops.worker.support.StackEnv;
import io.rankops.workflows.pipeline.DataWindow;
import io.rankops.workflows.pipeline.records.DatasetManifest;
import io.rankops.workflows.pipeline.records.ExtractionRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the stack's real MinIO, each test under its own events and datasets roots. */
class DatasetExtractorTest {

    private static final LocalDate DAY1 = LocalDate.of(2024, 3, 1);
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

    @Test
    void splitsByDayWritesParquetAndManifestAndIsIdempotent() throws Exception {
        partitions.uploadDays(DAY1, DAY1.plusDays(4));
        ExtractionRequest request = request(DAY1, DAY1.plusDays(4), null, 1, 1);

        store.writes.set(0);
        List<String> heartbeats = new ArrayList<>();
        DatasetManifest manifest = extractor.extract(request, heartbeats::add);

        assertEquals(Map.of("train", 3L * EventPartitions.ROWS_PER_DAY, "validation", (long) EventPartitions.ROWS_PER_DAY,
                "test", (long) EventPartitions.ROWS_PER_DAY), manifest.rowCounts());
        assertEquals(1.0 / 3, manifest.labelRates().get("EU").get("click"), EPSILON);
        assertEquals(1.0 / 3, manifest.labelRates().get("EU").get("add_to_cart"), EPSILON);
        assertEquals(1.0 / 6, manifest.labelRates().get("EU").get("purchase"), EPSILON);
        assertEquals(1.0 / 3, manifest.labelRates().get("US").get("click"), EPSILON);
        assertEquals(0.0, manifest.labelRates().get("US").get("purchase"), EPSILON);
        assertTrue(manifest.datasetId().matches("ds-[0-9a-f]{16}"), manifest.datasetId());
        assertTrue(manifest.contentHash().startsWith(manifest.datasetId().substring(3)));
        assertEquals("s3://" + store.bucket() + "/" + datasetsPrefix + manifest.datasetId() + "/", manifest.uri());
        assertEquals(5, manifest.sourceFiles().size());
        assertEquals(5, store.writes.get(), "three splits, the feature spec and the manifest");
        assertTrue(heartbeats.size() >= 5, "a heartbeat per downloaded file at least: " + heartbeats);

        String datasetKey = datasetsPrefix + manifest.datasetId() + "/";
        JsonNode stored = new ObjectMapper().readTree(store.get(datasetKey + "manifest.json").orElseThrow());
        assertEquals(manifest.datasetId(), stored.path("datasetId").asText());
        assertEquals(manifest.schemaHash(), stored.path("schemaHash").asText());
        assertEquals("2024-03-05", stored.path("splitDays").path("test").get(0).asText());

        assertEquals(EventPartitions.FEATURE_SPEC,
                new String(store.get(datasetKey + "feature_spec.json").orElseThrow(), StandardCharsets.UTF_8),
                "the source's feature declaration travels with the dataset");

        // The test split holds exactly the last day, in the documented order, without internal columns.
        try (SplitFile test = SplitFile.download(store, datasetKey + "test.parquet")) {
            assertEquals(List.of("2024-03-05"), test.strings("SELECT DISTINCT dt FROM split"));
            assertEquals(test.strings("SELECT request_id FROM split"),
                    test.strings("SELECT request_id FROM split ORDER BY dt, request_id, position"));
            List<String> columns = test.strings("SELECT column_name FROM (DESCRIBE SELECT * FROM split)");
            assertTrue(columns.contains("truth_p_click"), "truth columns are carried through: " + columns);
            assertTrue(columns.stream().noneMatch(c -> c.startsWith("__rankops")), columns.toString());
        }

        // A retry finds the manifest and writes nothing: a sentinel in the stored manifest survives.
        store.put(datasetKey + "manifest.json", new ObjectMapper().writeValueAsBytes(
                ((com.fasterxml.jackson.databind.node.ObjectNode) stored).put("sentinel", "kept")), "application/json");
        store.writes.set(0);
        DatasetManifest again = extractor.extract(request, detail -> { });
        assertEquals(manifest, again);
        assertEquals(0, store.writes.get(), "a second call must not write");
        assertEquals("kept", new ObjectMapper().readTree(store.get(datasetKey + "manifest.json").orElseThrow())
                .path("sentinel").asText());
    }

    @Test
    void missingDayNamesThePartitionPrefix() {
        partitions.upload(DAY1);
        partitions.upload(DAY1.plusDays(1));
        partitions.upload(DAY1.plusDays(3));

        ExtractionRejectedException e = assertThrows(ExtractionRejectedException.class,
                () -> extractor.extract(request(DAY1, DAY1.plusDays(3), null, 1, 1), ExtractionProgress.NONE));

        assertEquals("BadEventData", e.failureType());
        assertTrue(e.getMessage().contains("dt=2024-03-03/"), e.getMessage());
        assertEquals(0, store.writesUnder(datasetsPrefix));
    }

    @Test
    void missingColumnNamesFileAndColumn() {
        partitions.uploadDays(DAY1, DAY1.plusDays(1));
        Map<String, String> columns = EventPartitions.defaultColumns();
        columns.remove("item_id");
        String badKey = partitions.upload(DAY1.plusDays(2), columns);

        ExtractionRejectedException e = assertThrows(ExtractionRejectedException.class,
                () -> extractor.extract(request(DAY1, DAY1.plusDays(2), null, 1, 1), ExtractionProgress.NONE));

        assertEquals("BadEventData", e.failureType());
        assertTrue(e.getMessage().contains(badKey) && e.getMessage().contains("'item_id'"), e.getMessage());
        assertEquals(0, store.writesUnder(datasetsPrefix));
    }

    @Test
    void wrongColumnTypeNamesFileAndColumn() {
        partitions.uploadDays(DAY1, DAY1.plusDays(1));
        Map<String, String> columns = EventPartitions.defaultColumns();
        columns.put("region", "42");
        String badKey = partitions.upload(DAY1.plusDays(2), columns);

        ExtractionRejectedException e = assertThrows(ExtractionRejectedException.class,
                () -> extractor.extract(request(DAY1, DAY1.plusDays(2), null, 1, 1), ExtractionProgress.NONE));

        assertTrue(e.getMessage().contains(badKey) && e.getMessage().contains("'region' has type INTEGER"),
                e.getMessage());
    }

    @Test
    void funnelViolationNamesFileColumnAndRequest() {
        partitions.uploadDays(DAY1, DAY1.plusDays(1));
        Map<String, String> columns = EventPartitions.defaultColumns();
        // Request 1's first candidate is clicked but never carted; make it "purchased" anyway.
        columns.put("purchase", "(CASE WHEN c = 0 AND (r % 4 = 0 OR r = 1) THEN 1 ELSE 0 END)::INTEGER");
        String badKey = partitions.upload(DAY1.plusDays(2), columns);

        ExtractionRejectedException e = assertThrows(ExtractionRejectedException.class,
                () -> extractor.extract(request(DAY1, DAY1.plusDays(2), null, 1, 1), ExtractionProgress.NONE));

        assertEquals("BadEventData", e.failureType());
        assertTrue(e.getMessage().contains(badKey), e.getMessage());
        assertTrue(e.getMessage().contains("'purchase'"), e.getMessage());
        assertTrue(e.getMessage().contains("20240303-r1"), e.getMessage());
    }

    @Test
    void eventsWithoutAFeatureDeclarationAreRefusedNamingTheMissingObject() {
        partitions.uploadDays(DAY1, DAY1.plusDays(2));
        partitions.removeFeatureDeclaration();

        ExtractionRejectedException e = assertThrows(ExtractionRejectedException.class,
                () -> extractor.extract(request(DAY1, DAY1.plusDays(2), null, 1, 1), ExtractionProgress.NONE));

        assertEquals("BadEventData", e.failureType());
        assertTrue(e.getMessage().startsWith(eventsPrefix + "_feature_spec.json: missing"), e.getMessage());
    }

    @Test
    void aDeclaredFeatureMissingFromTheEventsIsNamed() {
        String firstKey = partitions.upload(DAY1);
        partitions.uploadDays(DAY1.plusDays(1), DAY1.plusDays(2));
        partitions.declareFeatures("{\"categorical\": [{\"name\": \"seller_id\", \"cardinality\": 9}], \"numerical\": []}");

        ExtractionRejectedException e = assertThrows(ExtractionRejectedException.class,
                () -> extractor.extract(request(DAY1, DAY1.plusDays(2), null, 1, 1), ExtractionProgress.NONE));

        assertEquals("BadEventData", e.failureType());
        assertTrue(e.getMessage().contains(firstKey + ": column seller_id is declared as a feature"), e.getMessage());
    }

    @Test
    void labelOutsideZeroOneNamesFileColumnAndRequest() {
        Map<String, String> columns = EventPartitions.defaultColumns();
        columns.put("click", "(CASE WHEN c = 0 THEN (CASE WHEN r = 2 THEN 2 ELSE 1 END) ELSE 0 END)::INTEGER");
        String badKey = partitions.upload(DAY1, columns);
        partitions.uploadDays(DAY1.plusDays(1), DAY1.plusDays(2));

        ExtractionRejectedException e = assertThrows(ExtractionRejectedException.class,
                () -> extractor.extract(request(DAY1, DAY1.plusDays(2), null, 1, 1), ExtractionProgress.NONE));

        assertTrue(e.getMessage().contains(badKey), e.getMessage());
        assertTrue(e.getMessage().contains("'click' has value 2"), e.getMessage());
        assertTrue(e.getMessage().contains("20240301-r2"), e.getMessage());
    }

    @Test
    void windowTooShortForTheSplitIsABadRequest() {
        partitions.uploadDays(DAY1, DAY1.plusDays(1));

        ExtractionRejectedException e = assertThrows(ExtractionRejectedException.class,
                () -> extractor.extract(request(DAY1, DAY1.plusDays(1), null, 1, 1), ExtractionProgress.NONE));

        assertEquals("BadExtractionRequest", e.failureType());
        assertTrue(e.getMessage().contains("no day for training"), e.getMessage());
    }

    @Test
    void regionFilterKeepsOnlyThoseRegionsAndGetsItsOwnDataset() {
        partitions.uploadDays(DAY1, DAY1.plusDays(2));

        DatasetManifest all = extractor.extract(request(DAY1, DAY1.plusDays(2), null, 0, 1), ExtractionProgress.NONE);
        DatasetManifest us = extractor.extract(request(DAY1, DAY1.plusDays(2), List.of("US"), 0, 1),
                ExtractionProgress.NONE);

        assertEquals(2L * EventPartitions.ROWS_PER_DAY, all.rowCounts().get("train"));
        assertEquals(0L, all.rowCounts().get("validation"));
        assertEquals((long) EventPartitions.ROWS_PER_DAY, us.rowCounts().get("train"));
        assertEquals((long) EventPartitions.ROWS_PER_DAY / 2, us.rowCounts().get("test"));
        assertEquals(List.of("US"), List.copyOf(us.labelRates().keySet()));
        assertNotEquals(all.datasetId(), us.datasetId());
    }

    @Test
    void acceptsEpochMillisTimestampsDateDayAndBooleanLabels() {
        Map<String, String> columns = EventPartitions.defaultColumns();
        columns.put("ts", "(epoch_ms(d::TIMESTAMP) + r * 60000)::BIGINT");
        columns.put("dt", "d");
        columns.put("click", "c = 0");
        columns.put("add_to_cart", "c = 0 AND r % 2 = 0");
        columns.put("purchase", "c = 0 AND r % 4 = 0");
        for (int i = 0; i < 3; i++) {
            partitions.upload(DAY1.plusDays(i), columns);
        }

        DatasetManifest manifest = extractor.extract(request(DAY1, DAY1.plusDays(2), null, 1, 1),
                ExtractionProgress.NONE);

        assertEquals((long) EventPartitions.ROWS_PER_DAY, manifest.rowCounts().get("test"));
        assertEquals(1.0 / 6, manifest.labelRates().get("EU").get("purchase"), EPSILON);
    }

    static ExtractionRequest request(LocalDate start, LocalDate end, List<String> regions, int validationDays,
            int testDays) {
        return new ExtractionRequest("run-test", new DataWindow(start, end), regions, validationDays, testDays);
    }

    /** The real store, counting the objects written through it. */
    static final class WriteCountingObjectStore extends ObjectStore {
        final AtomicInteger writes = new AtomicInteger();
        private final List<String> writtenKeys = new ArrayList<>();

        WriteCountingObjectStore() {
            super(StackEnv.minioClient(), StackEnv.bucket());
        }

        @Override
        public void put(String key, byte[] content, String contentType) {
            count(key);
            super.put(key, content, contentType);
        }

        @Override
        public void upload(String key, Path file, String contentType) {
            count(key);
            super.upload(key, file, contentType);
        }

        private synchronized void count(String key) {
            writes.incrementAndGet();
            writtenKeys.add(key);
        }

        synchronized long writesUnder(String prefix) {
            return writtenKeys.stream().filter(k -> k.startsWith(prefix)).count();
        }
    }

    /** A split downloaded to a temp file and opened in DuckDB as view {@code split}. */
    static final class SplitFile implements AutoCloseable {
        private final Path file;
        private final Connection duck;

        private SplitFile(Path file, Connection duck) {
            this.file = file;
            this.duck = duck;
        }

        static SplitFile download(ObjectStore store, String key) throws Exception {
            Path file = Files.createTempFile("rankops-split-", ".parquet");
            Files.write(file, store.get(key).orElseThrow(() -> new AssertionError("no object " + key)));
            Connection duck = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
            try (Statement sql = duck.createStatement()) {
                sql.execute("CREATE VIEW split AS SELECT * FROM read_parquet('" + file + "')");
            }
            return new SplitFile(file, duck);
        }

        List<String> strings(String query) throws Exception {
            List<String> values = new ArrayList<>();
            try (Statement sql = duck.createStatement(); ResultSet rows = sql.executeQuery(query)) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }

        @Override
        public void close() throws Exception {
            duck.close();
            Files.deleteIfExists(file);
        }
    }
}
