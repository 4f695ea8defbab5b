package io.rankops.worker.extraction;

import static io.rankops.worker.extraction.EventTable.SOURCE_COLUMN;
import static io.rankops.worker.extraction.EventTable.literal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankops.platform.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The dataset's item feature snapshot, {@code item_features.parquet}: one row per {@code item_id}
 * seen in the window (all splits), with the latest value (by {@code ts}, then the event key) of
 * each feature the feature spec lists in {@code item_features}: categorical ones as BIGINT,
 * numerical ones as FLOAT (what the model reads). The ranker serves a model with exactly this file
 * (its SHA-256 is in the manifest and, after registration, on the model version), and evaluation
 * scores the test split with its values, so the gate scores what will be served.
 *
 * <p>A feature spec without {@code item_features} (older event sources) gets no snapshot: its
 * models are served with every feature per candidate.
 */
final class ItemSnapshotWriter {

    static final String FILE = "item_features.parquet";
    static final String KEY = "item_id";
    /** The manifest document's field: {@code {"uri", "sha256", "items", "columns"}}. */
    static final String MANIFEST_FIELD = "itemSnapshot";

    /** A written snapshot, not yet uploaded. */
    record Snapshot(Path file, String sha256, long items, List<String> columns) {
    }

    private final ObjectMapper json;

    ItemSnapshotWriter(ObjectMapper json) {
        this.json = json;
    }

    /** Writes the snapshot from the loaded {@code events} table; empty when the spec declares no item features. */
    Optional<Snapshot> write(Statement sql, byte[] featureSpec, Path workDir, ExtractionProgress progress)
            throws SQLException {
        JsonNode spec;
        try {
            spec = json.readTree(featureSpec);
        } catch (IOException e) {
            throw ExtractionRejectedException.badEventData("the feature spec is not JSON: " + e.getMessage());
        }
        List<String> itemFeatures = new ArrayList<>();
        spec.path("item_features").forEach(n -> itemFeatures.add(n.asText()));
        if (itemFeatures.isEmpty()) {
            return Optional.empty();
        }
        List<String> categorical = new ArrayList<>();
        spec.path("categorical").forEach(c -> categorical.add(c.isTextual() ? c.asText() : c.path("name").asText()));
        // ts first; the event key breaks ties so the same events always give the same bytes.
        String order = "ts, dt, request_id, position, " + SOURCE_COLUMN;
        String columns = itemFeatures.stream()
                .map(f -> "last(" + EventTable.quoted(f) + " ORDER BY " + order + ")::"
                        + (categorical.contains(f) ? "BIGINT" : "FLOAT") + " AS " + EventTable.quoted(f))
                .collect(Collectors.joining(", "));
        Path file = workDir.resolve(FILE);
        sql.execute("COPY (SELECT " + KEY + "::BIGINT AS " + KEY + ", " + columns + " FROM events GROUP BY " + KEY
                + " ORDER BY " + KEY + ") TO " + literal(file.toString()) + " (FORMAT parquet)");
        long items;
        try (ResultSet rows = sql.executeQuery("SELECT count(DISTINCT " + KEY + ") FROM events")) {
            rows.next();
            items = rows.getLong(1);
        }
        progress.report("wrote the item snapshot (" + items + " items)");
        return Optional.of(new Snapshot(file, sha256(file), items, List.copyOf(itemFeatures)));
    }

    /** Uploads the snapshot and records it in the manifest document (which is written after it). */
    void publish(ObjectStore store, String datasetPrefix, Snapshot snapshot, ObjectNode manifestDocument) {
        String key = datasetPrefix + FILE;
        store.upload(key, snapshot.file(), "application/vnd.apache.parquet");
        ObjectNode entry = manifestDocument.putObject(MANIFEST_FIELD);
        entry.put("uri", store.uri(key).toString());
        entry.put("sha256", snapshot.sha256());
        entry.put("items", snapshot.items());
        snapshot.columns().forEach(entry.putArray("columns")::add);
    }

    static String sha256(Path file) {
        MessageDigest digest = DatasetExtractor.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
