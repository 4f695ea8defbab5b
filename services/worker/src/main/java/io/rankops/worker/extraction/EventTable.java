package io.rankops.worker.extraction;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.duckdb.DuckDBDriver;

/**
 * The window's events in an in-process DuckDB table {@code events}: every source row plus the file
 * it came from, its split and its partition's day. Checks and the writer query it.
 */
final class EventTable {

    static final String SOURCE_COLUMN = "__rankops_source";
    static final String SPLIT_COLUMN = "__rankops_split";
    static final String DAY_COLUMN = "__rankops_day";
    static final String INTERNAL_COLUMNS = SOURCE_COLUMN + ", " + SPLIT_COLUMN + ", " + DAY_COLUMN;
    // Ties on the event key fall back to the source file's rank, so output order never depends on threads.
    static final String ROW_ORDER = "dt, request_id, position, item_id, " + SOURCE_COLUMN;

    static Connection open(Path workDir) throws SQLException {
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

    static void load(Statement sql, List<SourceFile> sources, TimeSplit split) throws SQLException {
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

    static void keepRegions(Statement sql, List<String> regions) throws SQLException {
        if (!regions.isEmpty()) {
            sql.execute("DELETE FROM events WHERE region IS NULL OR region NOT IN ("
                    + regions.stream().map(EventTable::literal).collect(Collectors.joining(", ")) + ")");
        }
    }

    static Map<String, Long> rowCounts(Statement sql) throws SQLException {
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

    static Map<String, Map<String, Double>> labelRates(Statement sql) throws SQLException {
        String averages = EventSchema.LABELS.stream().map(l -> "avg(" + quoted(l) + "::DOUBLE)")
                .collect(Collectors.joining(", "));
        Map<String, Map<String, Double>> rates = new TreeMap<>();
        // Per impression: in candidate sets only shown rows had a chance to be clicked (docs/data.md).
        String impressions = hasColumn(sql, EventSchema.SHOWN) ? " WHERE " + quoted(EventSchema.SHOWN) + "::DOUBLE = 1" : "";
        try (ResultSet rows = sql.executeQuery("SELECT region, " + averages + " FROM events" + impressions
                + " GROUP BY region")) {
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

    static boolean hasColumn(Statement sql, String name) throws SQLException {
        try (ResultSet rows = sql.executeQuery("SELECT count(*) FROM (DESCRIBE events) WHERE column_name = "
                + literal(name))) {
            rows.next();
            return rows.getLong(1) > 0;
        }
    }

    static String readParquet(SourceFile source) {
        // Hive partitioning off: dt comes from the file's own column, the folder only picks the files.
        return "read_parquet(" + literal(source.localFile().toString()) + ", hive_partitioning = false)";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private EventTable() {
    }
}
