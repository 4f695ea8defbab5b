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
        }
    }

    /** Label values, the purchase funnel and the dt column of the loaded events. */
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
        firstViolation(sql, sources, "TRY_CAST(dt AS DATE) IS DISTINCT FROM " + DAY_COLUMN, "CAST(dt AS VARCHAR)")
                .ifPresent(v -> {
                    throw ExtractionRejectedException.badEventData(v.key() + ": column 'dt' holds " + v.value()
                            + ", not the day of its partition (e.g. request_id " + v.requestId() + ")");
                });
        firstViolation(sql, sources, "request_id IS NULL", "NULL").ifPresent(v -> {
            throw ExtractionRejectedException.badEventData(v.key() + ": column 'request_id' is null");
        });
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
