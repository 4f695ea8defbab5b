package io.rankops.worker.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankops.platform.names.RegistryNames;
import io.rankops.platform.storage.ObjectStore;
import io.rankops.worker.registry.BadModelArtifactException;
import io.rankops.worker.registry.ItemSnapshotLineage;
import io.rankops.worker.support.StackEnv;
import io.rankops.workflows.pipeline.records.DatasetManifest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The item snapshot against the stack's real MinIO: written by extraction, tagged by registration. */
class ItemSnapshotTest {

    private static final LocalDate DAY1 = LocalDate.of(2024, 4, 1);
    private static final String SPEC = "{\"categorical\": [{\"name\": \"user_id\", \"cardinality\": 3}, "
            + "{\"name\": \"item_id\", \"cardinality\": 200}], "
            + "\"numerical\": [\"text_relevance\", \"item_popularity\"], "
            + "\"item_features\": [\"item_popularity\"], \"candidate_features\": [\"text_relevance\"]}";

    private final ObjectStore store = StackEnv.objectStore();
    private String eventsPrefix;
    private String datasetsPrefix;
    private EventPartitions partitions;

    @BeforeEach
    void uniqueRoots() {
        eventsPrefix = StackEnv.uniquePrefix("events");
        datasetsPrefix = StackEnv.uniquePrefix("datasets");
        partitions = new EventPartitions(store, eventsPrefix);
        partitions.declareFeatures(SPEC);
    }

    @AfterEach
    void deleteTestObjects() {
        StackEnv.deleteUnder(eventsPrefix);
        StackEnv.deleteUnder(datasetsPrefix);
    }

    @Test
    void snapshotHoldsEachItemsLatestValueAndRegistrationTagsItsHash() throws Exception {
        // An item's popularity grows by day: the snapshot must hold the last day's value.
        Map<String, String> columns = EventPartitions.defaultColumns();
        columns.put("item_id", "(100 + c)::BIGINT");
        columns.put("item_popularity", "(c * 10 + dayofmonth(d) + r / 10.0)::DOUBLE");
        for (int i = 0; i < 3; i++) {
            partitions.upload(DAY1.plusDays(i), columns);
        }
        DatasetManifest manifest = new DatasetExtractor(store, eventsPrefix, datasetsPrefix)
                .extract(DatasetExtractorTest.request(DAY1, DAY1.plusDays(2), null, 1, 1), ExtractionProgress.NONE);

        String prefix = datasetsPrefix + manifest.datasetId() + "/";
        JsonNode entry = new ObjectMapper().readTree(store.get(prefix + "manifest.json").orElseThrow())
                .path("itemSnapshot");
        byte[] bytes = store.get(prefix + ItemSnapshotWriter.FILE).orElseThrow();
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertEquals(sha256, entry.path("sha256").asText());
        assertEquals(store.uri(prefix + ItemSnapshotWriter.FILE).toString(), entry.path("uri").asText());
        assertEquals(EventPartitions.CANDIDATES, entry.path("items").asInt());

        try (DatasetExtractorTest.SplitFile snapshot = DatasetExtractorTest.SplitFile.download(store,
                prefix + ItemSnapshotWriter.FILE)) {
            assertEquals(List.of("item_id", "item_popularity"),
                    snapshot.strings("SELECT column_name FROM (DESCRIBE SELECT * FROM split)"));
            assertEquals(List.of("BIGINT", "FLOAT"),
                    snapshot.strings("SELECT column_type FROM (DESCRIBE SELECT * FROM split)"));
            // day 3, last request (r = 3) of the day: c * 10 + 3 + 0.3
            assertEquals(List.of("100:3.3", "101:13.3", "102:23.3"),
                    snapshot.strings("SELECT item_id || ':' || round(item_popularity, 3) FROM split ORDER BY item_id"));
        }

        ItemSnapshotLineage lineage = new ItemSnapshotLineage(store, datasetsPrefix);
        assertEquals(Map.of(RegistryNames.ITEM_SNAPSHOT_URI_TAG, entry.path("uri").asText(),
                RegistryNames.ITEM_SNAPSHOT_SHA256_TAG, sha256), lineage.tags(manifest.datasetId()));

        // A snapshot changed after extraction is not what evaluation scored: registration refuses it.
        store.put(prefix + ItemSnapshotWriter.FILE, "not parquet".getBytes(StandardCharsets.UTF_8),
                "application/vnd.apache.parquet");
        BadModelArtifactException e = assertThrows(BadModelArtifactException.class,
                () -> lineage.tags(manifest.datasetId()));
        assertTrue(e.getMessage().contains("changed after extraction"), e.getMessage());
    }

    @Test
    void specWithoutItemFeaturesGetsNoSnapshotAndNoTags() {
        partitions.declareFeatures(EventPartitions.FEATURE_SPEC);
        partitions.uploadDays(DAY1, DAY1.plusDays(2));
        DatasetManifest manifest = new DatasetExtractor(store, eventsPrefix, datasetsPrefix)
                .extract(DatasetExtractorTest.request(DAY1, DAY1.plusDays(2), null, 1, 1), ExtractionProgress.NONE);

        assertTrue(store.get(datasetsPrefix + manifest.datasetId() + "/" + ItemSnapshotWriter.FILE).isEmpty());
        assertEquals(Map.of(), new ItemSnapshotLineage(store, datasetsPrefix).tags(manifest.datasetId()));
    }
}
