package io.rankops.worker.extraction;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankops.platform.storage.EventPartitions;
import io.rankops.platform.storage.ObjectStore;
import io.rankops.worker.extraction.EventSchema.Column;
import io.rankops.workflows.pipeline.records.DatasetManifest;
import io.rankops.workflows.pipeline.records.ExtractionRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Turns the window's event partitions into a dataset: validated, split by day, written as
 * Parquet under {@code datasets/{datasetId}/} with {@code manifest.json} written last.
 *
 * <p>The dataset id is derived from the content hash (source bytes + split parameters + region
 * filter), so the same input always lands in the same place, and a call that finds the manifest
 * there returns it without writing anything. Plain Java, no Temporal: the activity adapts it.
 */
public class DatasetExtractor {

    /** Part of the content hash: a change to how datasets are cut must not reuse old ids. */
    static final String FORMAT = "rankops-dataset-v1";
    /** The event source's declaration of its feature columns, read by the trainer (docs/data.md). */
    static final String SOURCE_FEATURE_SPEC = EventPartitions.FEATURE_SPEC;

    private final ObjectStore store;
    private final String eventsPrefix;
    private final String datasetsPrefix;
    private final ObjectMapper json;
    private final DatasetWriter writer;

    public DatasetExtractor(ObjectStore store, String eventsPrefix, String datasetsPrefix) {
        this.store = store;
        this.eventsPrefix = withTrailingSlash(eventsPrefix);
        this.datasetsPrefix = withTrailingSlash(datasetsPrefix);
        this.json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.writer = new DatasetWriter(store, json);
    }

    /** How the request cuts the window: its days into splits, and the regions it keeps (sorted; empty = all). */
    record Cut(ExtractionRequest request, TimeSplit split, List<String> regions) {
    }

    /** Where a dataset lives; its id is the first 16 hex digits of its content hash. */
    private record Location(String datasetId, String contentHash, String prefix) {
    }

    public DatasetManifest extract(ExtractionRequest request, ExtractionProgress progress) {
        Cut cut = new Cut(request, TimeSplit.of(request.window(), request.validationDays(), request.testDays()),
                normalizedRegions(request.regions()));
        Map<LocalDate, List<String>> keysByDay = listPartitions(cut.split().allDays());

        Path workDir = createWorkDir();
        try {
            MessageDigest content = sha256();
            content.update((FORMAT + "\n").getBytes(StandardCharsets.UTF_8));
            byte[] featureSpec = readFeatureSpec();
            content.update(featureSpec);
            List<SourceFile> sources = download(keysByDay, workDir, content, progress);
            content.update(("validationDays=" + request.validationDays() + "\ntestDays=" + request.testDays()
                    + "\nregions=" + String.join(",", cut.regions()) + "\n").getBytes(StandardCharsets.UTF_8));
            String contentHash = HexFormat.of().formatHex(content.digest());
            String datasetId = "ds-" + contentHash.substring(0, 16);
            Location location = new Location(datasetId, contentHash, datasetsPrefix + datasetId + "/");

            Optional<DatasetManifest> existing = writer.existing(location.prefix());
            if (existing.isPresent()) {
                progress.report("dataset " + datasetId + " already complete");
                return existing.get();
            }
            return build(cut, sources, featureSpec, workDir, location, progress);
        } finally {
            deleteRecursively(workDir);
        }
    }

    /** Checks the events, cuts them into splits and publishes the dataset; the manifest goes last. */
    private DatasetManifest build(Cut cut, List<SourceFile> sources, byte[] featureSpec, Path workDir, Location location,
            ExtractionProgress progress) {
        Map<String, Path> splitFiles;
        Map<String, Long> rowCounts;
        Map<String, Map<String, Double>> labelRates;
        List<Column> columns;
        Optional<ItemSnapshotWriter.Snapshot> itemSnapshot;
        try (Connection duck = EventTable.open(workDir); Statement sql = duck.createStatement()) {
            columns = EventChecks.schemas(sql, sources, progress);
            EventChecks.featuresExist(json, eventsPrefix + SOURCE_FEATURE_SPEC, featureSpec, columns, sources.get(0).key());
            EventTable.load(sql, sources, cut.split());
            EventChecks.values(sql, sources);
            EventTable.keepRegions(sql, cut.regions());
            rowCounts = EventTable.rowCounts(sql);
            EventChecks.everySplitHasRows(rowCounts, cut.split(), cut.regions());
            labelRates = EventTable.labelRates(sql);
            splitFiles = writer.writeSplits(sql, workDir, progress);
            itemSnapshot = new ItemSnapshotWriter(json).write(sql, featureSpec, workDir, progress);
        } catch (SQLException e) {
            // Validation already read every file, so what fails here is the engine or the disk: retry.
            throw new IllegalStateException("DuckDB failed while building dataset " + location.datasetId() + ": "
                    + e.getMessage(), e);
        }
        DatasetManifest manifest = new DatasetManifest(location.datasetId(), store.uri(location.prefix()).toString(),
                location.contentHash(), DatasetWriter.schemaHash(columns), rowCounts, labelRates,
                sources.stream().map(SourceFile::key).toList());
        ObjectNode document = writer.manifestDocument(manifest, cut, columns);
        itemSnapshot.ifPresent(s -> new ItemSnapshotWriter(json).publish(store, location.prefix(), s, document));
        writer.publish(location.prefix(), splitFiles, featureSpec, document, progress);
        return manifest;
    }

    private byte[] readFeatureSpec() {
        String key = eventsPrefix + SOURCE_FEATURE_SPEC;
        return store.get(key).orElseThrow(() -> ExtractionRejectedException.badEventData(key
                + ": missing; the event source must declare its feature columns there (docs/data.md)"));
    }

    private Map<LocalDate, List<String>> listPartitions(List<LocalDate> days) {
        Map<LocalDate, List<String>> keysByDay = new LinkedHashMap<>();
        for (LocalDate day : days) {
            String prefix = partitionPrefix(day);
            List<String> keys = store.listKeys(prefix).stream().filter(k -> k.endsWith(".parquet")).toList();
            if (keys.isEmpty()) {
                throw ExtractionRejectedException.badEventData(
                        "missing partition " + prefix + " (no .parquet objects in bucket " + store.bucket() + ")");
            }
            keysByDay.put(day, keys);
        }
        return keysByDay;
    }

    /** Downloads in key order, feeding the content digest with each file's name, size and bytes. */
    private List<SourceFile> download(Map<LocalDate, List<String>> keysByDay, Path workDir, MessageDigest content,
            ExtractionProgress progress) {
        List<SourceFile> sources = new ArrayList<>();
        for (Map.Entry<LocalDate, List<String>> day : keysByDay.entrySet()) {
            for (String key : day.getValue()) {
                Path local = workDir.resolve("source-" + sources.size() + ".parquet");
                MessageDigest fileDigest = sha256();
                try (InputStream in = store.open(key);
                        OutputStream out = new DigestOutputStream(Files.newOutputStream(local), fileDigest)) {
                    in.transferTo(out);
                } catch (IOException e) {
                    throw new UncheckedIOException("downloading " + key + " failed", e);
                }
                // Keys relative to the events root, so the same partitions give the same id wherever they live.
                String relativeKey = key.substring(eventsPrefix.length());
                content.update((relativeKey + "\n" + sizeOf(local) + "\n").getBytes(StandardCharsets.UTF_8));
                content.update(fileDigest.digest());
                sources.add(new SourceFile(key, day.getKey(), local));
                progress.report("downloaded " + sources.size() + " file(s), last " + key);
            }
        }
        return sources;
    }

    private String partitionPrefix(LocalDate day) {
        return eventsPrefix + "dt=" + day + "/";
    }

    private static List<String> normalizedRegions(List<String> regions) {
        if (regions == null) {
            return List.of();
        }
        return List.copyOf(new TreeSet<>(regions.stream().filter(r -> r != null && !r.isBlank()).toList()));
    }

    private static String withTrailingSlash(String prefix) {
        return prefix.endsWith("/") ? prefix : prefix + "/";
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Path createWorkDir() {
        try {
            return Files.createTempDirectory("rankops-extract-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp dir is not worth failing a finished extraction over.
        }
    }
}
