package io.rankops.worker.extraction;

import static io.rankops.worker.extraction.EventTable.INTERNAL_COLUMNS;
import static io.rankops.worker.extraction.EventTable.ROW_ORDER;
import static io.rankops.worker.extraction.EventTable.SPLIT_COLUMN;
import static io.rankops.worker.extraction.EventTable.literal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankops.platform.storage.ObjectStore;
import io.rankops.worker.extraction.EventSchema.Column;
import io.rankops.workflows.pipeline.records.DatasetManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a dataset under {@code datasets/{datasetId}/}: one Parquet file per split, the feature
 * spec, and {@code manifest.json} last, so a dataset is complete exactly when its manifest exists.
 */
final class DatasetWriter {

    static final String MANIFEST = "manifest.json";
    static final String FEATURE_SPEC = "feature_spec.json";

    private final ObjectStore store;
    private final ObjectMapper json;

    DatasetWriter(ObjectStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    /** The manifest of a dataset that is already complete. */
    Optional<DatasetManifest> existing(String datasetPrefix) {
        String key = datasetPrefix + MANIFEST;
        return store.get(key).map(bytes -> {
            try {
                return json.readValue(bytes, DatasetManifest.class);
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable " + key, e);
            }
        });
    }

    /** Each split of the loaded events as a local Parquet file, in a fixed row order. */
    Map<String, Path> writeSplits(Statement sql, Path workDir, ExtractionProgress progress) throws SQLException {
        Map<String, Path> files = new LinkedHashMap<>();
        for (String name : TimeSplit.NAMES) {
            Path file = workDir.resolve(name + ".parquet");
            sql.execute("COPY (SELECT * EXCLUDE (" + INTERNAL_COLUMNS + ") FROM events WHERE "
                    + SPLIT_COLUMN + " = " + literal(name) + " ORDER BY " + ROW_ORDER + ") TO "
                    + literal(file.toString()) + " (FORMAT parquet)");
            files.put(name, file);
            progress.report("wrote " + name + " split");
        }
        return files;
    }

    /** Uploads the splits and the feature spec, then the manifest document. */
    void publish(String datasetPrefix, Map<String, Path> splitFiles, byte[] featureSpec, ObjectNode manifestDocument,
            ExtractionProgress progress) {
        for (Map.Entry<String, Path> file : splitFiles.entrySet()) {
            store.upload(datasetPrefix + file.getKey() + ".parquet", file.getValue(), "application/vnd.apache.parquet");
            progress.report("uploaded " + file.getKey() + " split");
        }
        store.put(datasetPrefix + FEATURE_SPEC, featureSpec, "application/json");
        try {
            store.put(datasetPrefix + MANIFEST, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifestDocument),
                    "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The contract's fields, plus what a person or the trainer needs to know how it was cut. */
    ObjectNode manifestDocument(DatasetManifest manifest, DatasetExtractor.Cut cut, List<Column> columns) {
        ObjectNode document = json.valueToTree(manifest);
        document.put("format", DatasetExtractor.FORMAT);
        document.put("windowStart", cut.request().window().start().toString());
        document.put("windowEnd", cut.request().window().end().toString());
        document.put("validationDays", cut.request().validationDays());
        document.put("testDays", cut.request().testDays());
        ArrayNode regionFilter = document.putArray("regions");
        cut.regions().forEach(regionFilter::add);
        ObjectNode splitDays = document.putObject("splitDays");
        cut.split().daysBySplit().forEach((name, days) -> days.forEach(d -> splitDays.withArray(name).add(d.toString())));
        // The trainer reads this to treat the rows as whole candidate sets (docs/data.md).
        document.put("eventSchema", EventSchema.isCandidateSet(columns) ? "candidate-set" : "displayed-list");
        ArrayNode schema = document.putArray("columns");
        columns.forEach(c -> schema.addObject().put("name", c.name()).put("type", c.type()));
        return document;
    }

    static String schemaHash(List<Column> columns) {
        MessageDigest digest = DatasetExtractor.sha256();
        for (Column column : columns) {
            digest.update((column.name() + "\t" + column.type() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
