package io.rankops.worker.extraction;

import io.rankops.platform.storage.ObjectStore;
import io.rankops.worker.support.StackEnv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.duckdb.DuckDBDriver;

/**
 * Writes small synthetic event partitions with DuckDB and uploads them under a test's own events
 * root. Each day has {@value #REQUESTS} requests ({@code r}) x {@value #CANDIDATES} candidates
 * ({@code c}); even requests are region EU, odd ones US. Only candidate 0 is clicked; it is added
 * to the cart in even requests and bought in requests divisible by 4. So per region:
 * EU click 1/3, add_to_cart 1/3, purchase 1/6; US click 1/3, add_to_cart 0, purchase 0.
 * Tests override or drop single columns to make bad data.
 */
final class EventPartitions {

    static final int REQUESTS = 4;
    static final int CANDIDATES = 3;
    static final int ROWS_PER_DAY = REQUESTS * CANDIDATES;

    private final ObjectStore store;
    private final String eventsPrefix;

    /** The feature declaration every event source carries; tests that need another one overwrite it. */
    static final String FEATURE_SPEC = "{\"categorical\": [{\"name\": \"user_id\", \"cardinality\": 3}, "
            + "{\"name\": \"item_id\", \"cardinality\": 200}], "
            + "\"numerical\": [\"text_relevance\", \"item_popularity\"]}";

    EventPartitions(ObjectStore store, String eventsPrefix) {
        this.store = store;
        this.eventsPrefix = eventsPrefix;
        declareFeatures(FEATURE_SPEC);
    }

    void declareFeatures(String specJson) {
        store.put(eventsPrefix + DatasetExtractor.SOURCE_FEATURE_SPEC, specJson.getBytes(StandardCharsets.UTF_8),
                "application/json");
    }

    void removeFeatureDeclaration() {
        StackEnv.deleteUnder(eventsPrefix + DatasetExtractor.SOURCE_FEATURE_SPEC);
    }

    /** Column -> SQL expression over r, c and the day literal {@code d}. */
    static Map<String, String> defaultColumns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("request_id", "strftime(d, '%Y%m%d') || '-r' || r::VARCHAR");
        columns.put("ts", "(d::TIMESTAMP + INTERVAL (r) MINUTE)::TIMESTAMPTZ");
        columns.put("dt", "strftime(d, '%Y-%m-%d')");
        columns.put("user_id", "(r % 3)::BIGINT");
        columns.put("region", "CASE WHEN r % 2 = 0 THEN 'EU' ELSE 'US' END");
        columns.put("query_id", "(r % 2)::BIGINT");
        columns.put("item_id", "(100 + r * 10 + c)::BIGINT");
        columns.put("position", "c::INTEGER");
        columns.put("text_relevance", "(1.0 / (1 + c))::FLOAT");
        columns.put("item_popularity", "(r + c)::DOUBLE");
        columns.put("click", "(CASE WHEN c = 0 THEN 1 ELSE 0 END)::INTEGER");
        columns.put("add_to_cart", "(CASE WHEN c = 0 AND r % 2 = 0 THEN 1 ELSE 0 END)::INTEGER");
        columns.put("purchase", "(CASE WHEN c = 0 AND r % 4 = 0 THEN 1 ELSE 0 END)::INTEGER");
        columns.put("truth_p_click", "0.5::DOUBLE");
        return columns;
    }

    /** Uploads {@code dt=day/part-0.parquet} with the default columns. */
    String upload(LocalDate day) {
        return upload(day, defaultColumns());
    }

    /** Uploads {@code dt=day/part-0.parquet}; returns its object key. */
    String upload(LocalDate day, Map<String, String> columns) {
        String key = eventsPrefix + "dt=" + day + "/part-0.parquet";
        Path dir = null;
        try {
            dir = Files.createTempDirectory("rankops-events-");
            Path file = dir.resolve("part-0.parquet");
            String select = columns.entrySet().stream()
                    .map(c -> c.getValue() + " AS \"" + c.getKey() + "\"")
                    .collect(Collectors.joining(", "));
            try (Connection duck = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
                    Statement sql = duck.createStatement()) {
                sql.execute("COPY (SELECT " + select + " FROM (SELECT DATE '" + day + "' AS d) days, range("
                        + REQUESTS + ") rs(r), range(" + CANDIDATES + ") cs(c) ORDER BY r, c) TO '" + file
                        + "' (FORMAT parquet)");
            }
            store.upload(key, file, "application/vnd.apache.parquet");
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("generating test partition " + key, e);
        } finally {
            if (dir != null) {
                dir.resolve("part-0.parquet").toFile().delete();
                dir.toFile().delete();
            }
        }
    }

    /** Uploads default partitions for every day from start to end, both inclusive. */
    void uploadDays(LocalDate start, LocalDate end) {
        for (LocalDate day = start; !day.isAfter(end); day = day.plusDays(1)) {
            upload(day);
        }
    }
}
