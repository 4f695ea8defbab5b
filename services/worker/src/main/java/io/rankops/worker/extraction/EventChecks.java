package io.rankops.worker.extraction;

import static io.rankops.worker.extraction.EventTable.DAY_COLUMN;
import static io.rankops.worker.extraction.EventTable.SOURCE_COLUMN;
import static io.rankops.worker.extraction.EventTable.quoted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankops.worker.extraction.EventSchema.Column;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What event partitions must satisfy before they become a dataset. Each failure is
 * {@link ExtractionRejectedException#badEventData} naming the object key, the column and an
 * example request_id, so the person who owns the data can find the row.
 */
final class EventChecks {

    /** Every file has the event schema, and the same one as the first file. */
    static List<Column> schemas(Statement sql, List<SourceFile> sources, ExtractionProgress progress) {
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

    /** Every feature the spec names must be a column of the events, or training would fail later. */
    static void featuresExist(ObjectMapper json, String specKey, byte[] featureSpec, List<Column> schema,
            String exampleKey) {
        List<String> features = new ArrayList<>();
        try {
            JsonNode spec = json.readTree(featureSpec);
            spec.path("categorical").forEach(c -> features.add(c.path("name").asText()));
            spec.path("numerical").forEach(n -> features.add(n.asText()));
        } catch (IOException e) {
            throw ExtractionRejectedException.badEventData(specKey + ": not valid JSON (" + e.getMessage() + ")", e);
        }
        if (features.isEmpty()) {
            throw ExtractionRejectedException.badEventData(specKey + ": declares no categorical or numerical features");
        }
        Set<String> columns = schema.stream().map(Column::name).collect(Collectors.toSet());
        for (String feature : features) {
            if (!columns.contains(feature)) {
                throw ExtractionRejectedException.badEventData(exampleKey + ": column " + feature
                        + " is declared as a feature in " + specKey + " but missing from the events");
            }
            if (EventSchema.CANDIDATE_SET_COLUMNS.contains(feature)) {
                // "Was it shown" predicts every label (labels exist only on shown rows) and is unknown at serving time.
                throw ExtractionRejectedException.badEventData(specKey + ": column " + feature
                        + " describes the logging policy and cannot be declared as a feature");
            }
        }
    }

    /** Label values, the purchase funnel, the dt column and (candidate sets) the logging columns of the loaded events. */
    static void values(Statement sql, List<SourceFile> sources) throws SQLException {
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
        funnel(sql, sources, "add_to_cart", "click");
        funnel(sql, sources, "purchase", "add_to_cart");
        if (EventSchema.isCandidateSet(loadedColumns(sql))) {
            candidateSet(sql, sources, loadedColumns(sql));
        }
        firstViolation(sql, sources, "TRY_CAST(dt AS DATE) IS DISTINCT FROM " + DAY_COLUMN, "CAST(dt AS VARCHAR)")
                .ifPresent(v -> {
                    throw ExtractionRejectedException.badEventData(v.key() + ": column 'dt' holds " + v.value()
                            + ", not the day of its partition (e.g. request_id " + v.requestId() + ")");
                });
        firstViolation(sql, sources, "request_id IS NULL", "NULL").ifPresent(v -> {
            throw ExtractionRejectedException.badEventData(v.key() + ": column 'request_id' is null");
        });
    }

    /**
     * The candidate-set columns agree with each other and with the labels: behaviour only on
     * shown rows, a display position exactly on shown rows, a propensity in (0, 1] on shown rows
     * (a shown row had a chance to be shown) and in [0, 1] elsewhere, shown rows kept.
     */
    private static void candidateSet(Statement sql, List<SourceFile> sources, List<Column> columns)
            throws SQLException {
        String shown = quoted(EventSchema.SHOWN);
        reject(sql, sources, shown + " IS NULL OR " + shown + "::DOUBLE NOT IN (0, 1)",
                "CAST(" + shown + " AS VARCHAR)", EventSchema.SHOWN, "has value %s, must be 0 or 1");
        String unshown = shown + "::DOUBLE = 0";
        for (String label : EventSchema.LABELS) {
            reject(sql, sources, unshown + " AND " + quoted(label) + "::DOUBLE <> 0", "CAST(" + quoted(label)
                    + " AS VARCHAR)", label, "is %s on a row with shown = 0: behaviour exists only on shown candidates");
        }
        String position = quoted(EventSchema.DISPLAY_POSITION);
        reject(sql, sources, "NOT " + unshown + " AND (" + position + " IS NULL OR " + position + " < 0)",
                "COALESCE(CAST(" + position + " AS VARCHAR), 'null')", EventSchema.DISPLAY_POSITION,
                "is %s on a shown row: a shown candidate needs its display position (0-based)");
        reject(sql, sources, unshown + " AND " + position + " IS NOT NULL AND " + position + " <> -1",
                "CAST(" + position + " AS VARCHAR)", EventSchema.DISPLAY_POSITION,
                "is %s on a row with shown = 0: must be -1 or null");
        rejectProbability(sql, sources, EventSchema.PROPENSITY, "NOT " + unshown);
        if (EventSchema.has(columns, EventSchema.PRERANK_KEPT)) {
            String kept = quoted(EventSchema.PRERANK_KEPT);
            reject(sql, sources, kept + " IS NULL OR " + kept + "::DOUBLE NOT IN (0, 1)", "CAST(" + kept
                    + " AS VARCHAR)", EventSchema.PRERANK_KEPT, "has value %s, must be 0 or 1");
            reject(sql, sources, "NOT " + unshown + " AND " + kept + "::DOUBLE = 0", "'0'", EventSchema.PRERANK_KEPT,
                    "is %s on a shown row: only kept candidates reach the displayed list");
        }
        if (EventSchema.has(columns, EventSchema.PROPENSITY_KEPT)) {
            String keptPropensity = quoted(EventSchema.PROPENSITY_KEPT);
            rejectProbability(sql, sources, EventSchema.PROPENSITY_KEPT, "NOT " + unshown);
            reject(sql, sources, keptPropensity + "::DOUBLE < " + quoted(EventSchema.PROPENSITY) + "::DOUBLE - 1e-9",
                    "CAST(" + keptPropensity + " AS VARCHAR)", EventSchema.PROPENSITY_KEPT,
                    "is %s, below the row's propensity: being shown needs being kept");
        }
        if (EventSchema.has(columns, EventSchema.PRERANK_POSITION)) {
            String rank = quoted(EventSchema.PRERANK_POSITION);
            reject(sql, sources, rank + " IS NULL OR " + rank + " < 0", "COALESCE(CAST(" + rank
                    + " AS VARCHAR), 'null')", EventSchema.PRERANK_POSITION, "is %s, must be a rank >= 0");
        }
    }

    /** A probability column: in [0, 1] everywhere, and above 0 where {@code positiveWhere} holds. */
    private static void rejectProbability(Statement sql, List<SourceFile> sources, String name, String positiveWhere)
            throws SQLException {
        String column = quoted(name);
        String value = "COALESCE(CAST(" + column + " AS VARCHAR), 'null')";
        reject(sql, sources, column + " IS NULL OR isnan(" + column + "::DOUBLE) OR " + column + "::DOUBLE < 0 OR "
                + column + "::DOUBLE > 1", value, name, "has value %s, must be a probability in [0, 1]");
        reject(sql, sources, "(" + positiveWhere + ") AND " + column + "::DOUBLE <= 0", value, name,
                "is %s on a shown row, must be in (0, 1]: a shown candidate had a chance to be shown");
    }

    private static void reject(Statement sql, List<SourceFile> sources, String condition, String valueExpression,
            String column, String problem) throws SQLException {
        firstViolation(sql, sources, condition, valueExpression).ifPresent(v -> {
            throw ExtractionRejectedException.badEventData(v.key() + ": column '" + column + "' "
                    + String.format(problem, v.value()) + " (e.g. request_id " + v.requestId() + ")");
        });
    }

    /** The loaded table's columns (without the internal ones, which never clash with the schema's names). */
    private static List<Column> loadedColumns(Statement sql) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery("DESCRIBE events")) {
            while (rows.next()) {
                columns.add(new Column(rows.getString("column_name"), rows.getString("column_type")));
            }
        }
        return columns;
    }

    /** A split with days but no rows (after the region filter) would train or judge on nothing. */
    static void everySplitHasRows(Map<String, Long> rowCounts, TimeSplit split, List<String> regions) {
        split.daysBySplit().forEach((name, days) -> {
            if (!days.isEmpty() && rowCounts.get(name) == 0) {
                throw ExtractionRejectedException.badEventData("split '" + name + "' (days " + days.get(0) + ".."
                        + days.get(days.size() - 1) + ") has no rows"
                        + (regions.isEmpty() ? "" : " for regions " + regions));
            }
        });
    }

    private static List<Column> describe(Statement sql, SourceFile source) {
        List<Column> columns = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery("DESCRIBE SELECT * FROM " + EventTable.readParquet(source))) {
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

    private static void funnel(Statement sql, List<SourceFile> sources, String later, String earlier)
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

    private EventChecks() {
    }
}
