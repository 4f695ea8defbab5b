package io.rankops.ranker.support;

import io.rankops.platform.names.RegistryNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.function.ToDoubleBiFunction;
import org.duckdb.DuckDBDriver;

/** Item feature snapshots for tests: Parquet written with DuckDB, as the worker's extraction writes them. */
public final class ItemSnapshots {

    /** What the sources variant of the test model serves from the snapshot. */
    public static final List<String> CATEGORICAL = List.of("category_id", "seller_id");
    public static final List<String> NUMERICAL = List.of("log_price", "price_rel_category", "discount", "item_rating",
            "item_popularity");

    /**
     * One row per case: item_id, then the item features, each value from {@code value(case, feature)}.
     */
    public static byte[] parquet(List<ParityVectors.Case> cases,
            ToDoubleBiFunction<ParityVectors.Case, String> value) {
        StringJoiner rows = new StringJoiner(", ");
        for (ParityVectors.Case c : cases) {
            StringJoiner row = new StringJoiner(", ", "(", ")");
            row.add(Long.toString(c.features().get("item_id").longValue()));
            CATEGORICAL.forEach(f -> row.add(Long.toString((long) value.applyAsDouble(c, f))));
            NUMERICAL.forEach(f -> row.add(Double.toString(value.applyAsDouble(c, f))));
            rows.add(row.toString());
        }
        StringJoiner columns = new StringJoiner(", ");
        columns.add("item_id::BIGINT AS item_id");
        CATEGORICAL.forEach(f -> columns.add(f + "::BIGINT AS " + f));
        NUMERICAL.forEach(f -> columns.add(f + "::FLOAT AS " + f));
        StringJoiner names = new StringJoiner(", ");
        names.add("item_id");
        CATEGORICAL.forEach(names::add);
        NUMERICAL.forEach(names::add);
        Path file = null;
        try {
            file = Files.createTempFile("rankops-test-items-", ".parquet");
            try (Connection duck = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
                    Statement sql = duck.createStatement()) {
                sql.execute("COPY (SELECT " + columns + " FROM (VALUES " + rows + ") v(" + names + ") ORDER BY item_id) TO '"
                        + file + "' (FORMAT parquet)");
            }
            return Files.readAllBytes(file);
        } catch (Exception e) {
            throw new IllegalStateException("writing a test item snapshot", e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    /** The cases' own item feature values. */
    public static byte[] parquet(List<ParityVectors.Case> cases) {
        return parquet(cases, (c, f) -> c.features().get(f).doubleValue());
    }

    /** The version tags registration writes for a snapshot uploaded at {@code uri}. */
    public static Map<String, String> tags(String uri, byte[] bytes) {
        return Map.of(RegistryNames.ITEM_SNAPSHOT_URI_TAG, uri, RegistryNames.ITEM_SNAPSHOT_SHA256_TAG, sha256(bytes));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private ItemSnapshots() {
    }
}
