package io.rankops.worker.extraction;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankops.worker.extraction.EventSchema.Column;
import io.rankops.worker.storage.ObjectStore;
import io.rankops.workflows.pipeline.DatasetManifest;
import io.rankops.workflows.pipeline.ExtractionRequest;
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
import java.sql.ResultSet;
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
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.duckdb.DuckDBDriver;

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
    static final String MANIFEST = "manifest.json";
    /** The event source's declaration of its feature columns, read by the trainer (docs/data.md). */
    static final String SOURCE_FEATURE_SPEC = "_feature_spec.json";
    static final String FEATURE_SPEC = "feature_spec.json";

    private static final String SOURCE_COLUMN = "__rankops_source";
    private static final String SPLIT_COLUMN = "__rankops_split";
    private static final String DAY_COLUMN = "__rankops_day";
    private static final String INTERNAL_COLUMNS = SOURCE_COLUMN + ", " + SPLIT_COLUMN + ", " + DAY_COLUMN;
    // Ties on the event key fall back to the source file's rank, so output order never depends on threads.
    private static final String ROW_ORDER = "dt, request_id, position, item_id, " + SOURCE_COLUMN;

    private final ObjectStore store;
    private final String eventsPrefix;
    private final String datasetsPrefix;
    private final ObjectMapper json;

    public DatasetExtractor(ObjectStore store, String eventsPrefix, String datasetsPrefix) {
        this.store = store;
        this.eventsPrefix = withTrailingSlash(eventsPrefix);
        this.datasetsPrefix = withTrailingSlash(datasetsPrefix);
        this.json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    private record SourceFile(String key, LocalDate day, Path localFile) {
    }

    public DatasetManifest extract(ExtractionRequest request, ExtractionProgress progress) {
        TimeSplit split = TimeSplit.of(request.window(), request.validationDays(), request.testDays());
        List<String> regions = normalizedRegions(request.regions());
        Map<LocalDate, List<String>> keysByDay = listPartitions(split.allDays());

        Path workDir = createWorkDir();
        try {
            MessageDigest content = sha256();
            content.update((FORMAT + "\n").getBytes(StandardCharsets.UTF_8));
            byte[] featureSpec = readFeatureSpec();
            content.update(featureSpec);
            List<SourceFile> sources = download(keysByDay, workDir, content, progress);
            content.update(("validationDays=" + request.validationDays() + "\ntestDays=" + request.testDays()
                    + "\nregions=" + String.join(",", regions) + "\n").getBytes(StandardCharsets.UTF_8));
            String contentHash = HexFormat.of().formatHex(content.digest());
            String datasetId = "ds-" + contentHash.substring(0, 16);
            String datasetPrefix = datasetsPrefix + datasetId + "/";

            Optional<DatasetManifest> existing = readManifest(datasetPrefix + MANIFEST);
            if (existing.isPresent()) {
                progress.report("dataset " + datasetId + " already complete");
                return existing.get();
            }
            return build(request, split, regions, sources, featureSpec, workDir, datasetId, contentHash,
                    datasetPrefix, progress);
        } finally {
            deleteRecursively(workDir);
        }
    }

    private DatasetManifest build(ExtractionRequest request, TimeSplit split, List<String> regions,
            List<SourceFile> sources, byte[] featureSpec, Path workDir, String datasetId, String contentHash,
            String datasetPrefix, ExtractionProgress progress) {
        Map<String, Path> splitFiles = new LinkedHashMap<>();
        Map<String, Long> rowCounts;
        Map<String, Map<String, Double>> labelRates;
        List<Column> columns;
        try (Connection duck = openDuckDb(workDir); Statement sql = duck.createStatement()) {
            List<Column> schema = checkSchemas(sql, sources, progress);
            checkFeaturesExist(featureSpec, schema, sources.get(0).key());
            loadEvents(sql, sources, split);
            checkValues(sql, sources);
            if (!regions.isEmpty()) {
                sql.execute("DELETE FROM events WHERE region IS NULL OR region NOT IN ("
                        + regions.stream().map(DatasetExtractor::literal).collect(Collectors.joining(", ")) + ")");
            }
            rowCounts = rowCounts(sql);
            requireRows(rowCounts, split, regions);
            labelRates = labelRates(sql);
            columns = schema;
            for (String name : TimeSplit.NAMES) {
                Path file = workDir.resolve(name + ".parquet");
                sql.execute("COPY (SELECT * EXCLUDE (" + INTERNAL_COLUMNS + ") FROM events WHERE "
                        + SPLIT_COLUMN + " = " + literal(name) + " ORDER BY " + ROW_ORDER + ") TO "
                        + literal(file.toString()) + " (FORMAT parquet)");
                splitFiles.put(name, file);
                progress.report("wrote " + name + " split");
            }
        } catch (SQLException e) {
            // Validation already read every file, so what fails here is the engine or the disk: retry.
            throw new IllegalStateException("DuckDB failed while building dataset " + datasetId + ": " + e.getMessage(), e);
        }

        DatasetManifest manifest = new DatasetManifest(datasetId,
                "s3://" + store.bucket() + "/" + datasetPrefix, contentHash, schemaHash(columns),
                rowCounts, labelRates, sources.stream().map(SourceFile::key).toList());
        for (Map.Entry<String, Path> file : splitFiles.entrySet()) {
            store.upload(datasetPrefix + file.getKey() + ".parquet", file.getValue(), "application/vnd.apache.parquet");
            progress.report("uploaded " + file.getKey() + " split");
        }
        store.put(datasetPrefix + FEATURE_SPEC, featureSpec, "application/json");
        // Last: a dataset is complete exactly when its manifest exists.
        store.put(datasetPrefix + MANIFEST, manifestDocument(manifest, request, split, regions, columns),
                "application/json");
        return manifest;
    }

    private byte[] readFeatureSpec() {
        String key = eventsPrefix + SOURCE_FEATURE_SPEC;
        return store.get(key).orElseThrow(() -> ExtractionRejectedException.badEventData(key
                + ": missing; the event source must declare its feature columns there (docs/data.md)"));
    }

    /** Every feature the spec names must be a column of the events, or training would fail later. */
    private void checkFeaturesExist(byte[] featureSpec, List<Column> schema, String exampleKey) {
        String key = eventsPrefix + SOURCE_FEATURE_SPEC;
        List<String> features = new ArrayList<>();
        try {
            JsonNode spec = json.readTree(featureSpec);
            spec.path("categorical").forEach(c -> features.add(c.path("name").asText()));
            spec.path("numerical").forEach(n -> features.add(n.asText()));
        } catch (IOException e) {
            throw ExtractionRejectedException.badEventData(key + ": not valid JSON (" + e.getMessage() + ")", e);
        }
        if (features.isEmpty()) {
            throw ExtractionRejectedException.badEventData(key + ": declares no categorical or numerical features");
        }
        Set<String> columns = schema.stream().map(Column::name).collect(Collectors.toSet());
        for (String feature : features) {
            if (!columns.contains(feature)) {
                throw ExtractionRejectedException.badEventData(exampleKey + ": column " + feature
                        + " is declared as a feature in " + key + " but missing from the events");
            }
        }
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

    private List<Column> checkSchemas(Statement sql, List<SourceFile> sources, ExtractionProgress progress) {
        List<Column> first = null;
        for (SourceFile source : sources) {
            List<Column> columns = describe(sql, source);
            EventSchema.check(source.key(), columns);
            if (first == null) {
                first = columns;
            } else if (!first.equals(columns)) {
                throw ExtractionRejectedException.badEventData(source.key() + ": schema differs from "
                        + sources.get(0).key() + " (" + firstDifference(first, columns) + ")");
            }
            progress.report("schema ok: " + source.key());
        }
        return first;
    }

    private static List<Column> describe(Statement sql, SourceFile source) {
        List<Column> columns = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery("DESCRIBE SELECT * FROM " + readParquet(source))) {
            while (rows.next()) {
                columns.add(new Column(rows.getString("column_name"), rows.getString("column_type")));
            }
        } catch (SQLException e) {
            // DuckDB's first line says what is wrong; the rest echoes its query. The local copy's
            // path means nothing to the reader: the object key already names the file.
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw ExtractionRejectedException.badEventData(source.key() + ": not a readable Parquet file ("
                    + why.replace(" '" + source.localFile() + "'", "") + ")", e);
        }
        return columns;
    }

    private static String firstDifference(List<Column> expected, List<Column> actual) {
        Map<String, String> expectedTypes = expected.stream().collect(
                Collectors.toMap(Column::name, Column::type, (a, b) -> a, LinkedHashMap::new));
        Map<String, String> actualTypes = actual.stream().collect(
                Collectors.toMap(Column::name, Column::type, (a, b) -> a, LinkedHashMap::new));
        for (Map.Entry<String, String> column : expectedTypes.entrySet()) {
            String type = actualTypes.get(column.getKey());
            if (type == null) {
                return "column '" + column.getKey() + "' is missing";
            }
            if (!type.equals(column.getValue())) {
                return "column '" + column.getKey() + "' is " + type + ", there " + column.getValue();
            }
        }
        for (String name : actualTypes.keySet()) {
            if (!expectedTypes.containsKey(name)) {
                return "extra column '" + name + "'";
            }
        }
        return "column order differs";
    }

    private static void loadEvents(Statement sql, List<SourceFile> sources, TimeSplit split) throws SQLException {
        StringBuilder union = new StringBuilder();
        for (int i = 0; i < sources.size(); i++) {
            SourceFile source = sources.get(i);
            if (i > 0) {
                union.append(" UNION ALL ");
            }
            union.append("SELECT *, ").append(i).append(" AS ").append(SOURCE_COLUMN).append(", ")
                    .append(literal(split.splitOf(source.day()))).append(" AS ").append(SPLIT_COLUMN).append(", ")
                    .append("DATE ").append(literal(source.day().toString())).append(" AS ").append(DAY_COLUMN)
                    .append(" FROM ").append(readParquet(source));
        }
        sql.execute("CREATE TABLE events AS " + union);
    }

    /** Label values, the purchase funnel and the dt column; a failure names file, column and a request_id. */
    private static void checkValues(Statement sql, List<SourceFile> sources) throws SQLException {
        for (String label : EventSchema.LABELS) {
            String column = quoted(label);
            firstViolation(sql, sources, column + " IS NULL OR " + column + "::DOUBLE NOT IN (0, 1)",
                    "CAST(" + column + " AS VARCHAR)")
                    .ifPresent(v -> {
                        throw ExtractionRejectedException.badEventData(v.key() + ": column '" + label
                                + "' has value " + v.value() + ", labels must be 0 or 1 (e.g. request_id "
                                + v.requestId() + ")");
                    });
        }
        checkFunnel(sql, sources, "add_to_cart", "click");
        checkFunnel(sql, sources, "purchase", "add_to_cart");
        firstViolation(sql, sources, "TRY_CAST(dt AS DATE) IS DISTINCT FROM " + DAY_COLUMN, "CAST(dt AS VARCHAR)")
                .ifPresent(v -> {
                    throw ExtractionRejectedException.badEventData(v.key() + ": column 'dt' holds " + v.value()
                            + ", not the day of its partition (e.g. request_id " + v.requestId() + ")");
                });
        firstViolation(sql, sources, "request_id IS NULL", "NULL").ifPresent(v -> {
            throw ExtractionRejectedException.badEventData(v.key() + ": column 'request_id' is null");
        });
    }

    private static void checkFunnel(Statement sql, List<SourceFile> sources, String later, String earlier)
            throws SQLException {
        firstViolation(sql, sources, quoted(later) + "::DOUBLE > " + quoted(earlier) + "::DOUBLE", "NULL")
                .ifPresent(v -> {
                    throw ExtractionRejectedException.badEventData(v.key() + ": column '" + later + "' is 1 where '"
                            + earlier + "' is 0, breaking the funnel purchase => add_to_cart => click"
                            + " (e.g. request_id " + v.requestId() + ")");
                });
    }

    private record Violation(String key, String requestId, String value) {
    }

    private static Optional<Violation> firstViolation(Statement sql, List<SourceFile> sources, String condition,
            String valueExpression) throws SQLException {
        String query = "SELECT " + SOURCE_COLUMN + ", request_id, " + valueExpression + " FROM events WHERE "
                + condition + " ORDER BY " + SOURCE_COLUMN + ", request_id, position LIMIT 1";
        try (ResultSet rows = sql.executeQuery(query)) {
            if (!rows.next()) {
                return Optional.empty();
            }
            return Optional.of(new Violation(sources.get(rows.getInt(1)).key(), rows.getString(2), rows.getString(3)));
        }
    }

    private static Map<String, Long> rowCounts(Statement sql) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        TimeSplit.NAMES.forEach(name -> counts.put(name, 0L));
        try (ResultSet rows = sql.executeQuery(
                "SELECT " + SPLIT_COLUMN + ", count(*) FROM events GROUP BY " + SPLIT_COLUMN)) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counts;
    }

    private static void requireRows(Map<String, Long> rowCounts, TimeSplit split, List<String> regions) {
        split.daysBySplit().forEach((name, days) -> {
            if (!days.isEmpty() && rowCounts.get(name) == 0) {
                throw ExtractionRejectedException.badEventData("split '" + name + "' (days " + days.get(0) + ".."
                        + days.get(days.size() - 1) + ") has no rows"
                        + (regions.isEmpty() ? "" : " for regions " + regions));
            }
        });
    }

    private static Map<String, Map<String, Double>> labelRates(Statement sql) throws SQLException {
        String averages = EventSchema.LABELS.stream().map(l -> "avg(" + quoted(l) + "::DOUBLE)")
                .collect(Collectors.joining(", "));
        Map<String, Map<String, Double>> rates = new TreeMap<>();
        try (ResultSet rows = sql.executeQuery("SELECT region, " + averages + " FROM events GROUP BY region")) {
            while (rows.next()) {
                Map<String, Double> byLabel = new LinkedHashMap<>();
                for (int i = 0; i < EventSchema.LABELS.size(); i++) {
                    byLabel.put(EventSchema.LABELS.get(i), rows.getDouble(i + 2));
                }
                rates.put(rows.getString(1), byLabel);
            }
        }
        return rates;
    }

    static String schemaHash(List<Column> columns) {
        MessageDigest digest = sha256();
        for (Column column : columns) {
            digest.update((column.name() + "\t" + column.type() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private byte[] manifestDocument(DatasetManifest manifest, ExtractionRequest request, TimeSplit split,
            List<String> regions, List<Column> columns) {
        // The contract's fields, plus what a person or the trainer needs to know how it was cut.
        ObjectNode document = json.valueToTree(manifest);
        document.put("format", FORMAT);
        document.put("windowStart", request.window().start().toString());
        document.put("windowEnd", request.window().end().toString());
        document.put("validationDays", request.validationDays());
        document.put("testDays", request.testDays());
        ArrayNode regionFilter = document.putArray("regions");
        regions.forEach(regionFilter::add);
        ObjectNode splitDays = document.putObject("splitDays");
        split.daysBySplit().forEach((name, days) -> days.forEach(d -> splitDays.withArray(name).add(d.toString())));
        ArrayNode schema = document.putArray("columns");
        columns.forEach(c -> schema.addObject().put("name", c.name()).put("type", c.type()));
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<DatasetManifest> readManifest(String key) {
        return store.get(key).map(bytes -> {
            try {
                return json.readValue(bytes, DatasetManifest.class);
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable " + key, e);
            }
        });
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

    private static Connection openDuckDb(Path workDir) throws SQLException {
        Connection connection = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
        try (Statement setup = connection.createStatement()) {
            // Parquet is linked into the JDBC jar; never reach for the network for an extension.
            setup.execute("SET autoinstall_known_extensions = false");
            setup.execute("SET autoload_known_extensions = false");
            setup.execute("SET temp_directory = " + literal(workDir.resolve("spill").toString()));
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private static String readParquet(SourceFile source) {
        // Hive partitioning off: dt comes from the file's own column, the folder only picks the files.
        return "read_parquet(" + literal(source.localFile().toString()) + ", hive_partitioning = false)";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
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

    private static MessageDigest sha256() {
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
