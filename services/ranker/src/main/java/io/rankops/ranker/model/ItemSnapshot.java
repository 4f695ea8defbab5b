package io.rankops.ranker.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.duckdb.DuckDBDriver;

/**
 * The item features a model version was evaluated with and is served with: the dataset's
 * {@code item_features.parquet} (one row per {@code item_id}), held as one primitive array per
 * feature column, indexed by an {@link ItemIndex} from item id to row. Loaded and checked with
 * its model and swapped with it (it lives in the {@link RankingModel}), so a request never sees a
 * model with another version's items.
 *
 * <p>Which features it serves: the spec's {@code item_features}; for a spec from before feature
 * sources, the snapshot's columns that are model features (except {@code item_id} and the region
 * column, which come from the request). An item the snapshot lacks is scored with the
 * snapshot's default row (per numerical feature its lower median, per categorical one its most
 * frequent id, ties to the smaller), the same row evaluation uses (rankops_trainer.data.item_snapshot).
 */
public final class ItemSnapshot {

    private final String uri;
    private final String sha256;
    private final ItemIndex index;
    private final int items;
    /** Per categorical column of the spec: the items' values, or null when the column is not an item feature. */
    private final long[][] cat;
    private final float[][] num;
    private final long[] defaultCat;
    private final float[] defaultNum;
    private final List<String> served;

    private ItemSnapshot(String uri, String sha256, ItemIndex index, int items, long[][] cat, float[][] num,
            List<String> served) {
        this.uri = uri;
        this.sha256 = sha256;
        this.index = index;
        this.items = items;
        this.cat = cat;
        this.num = num;
        this.served = served;
        this.defaultCat = new long[cat.length];
        this.defaultNum = new float[num.length];
        for (int c = 0; c < cat.length; c++) {
            defaultCat[c] = cat[c] == null ? 0 : mostFrequent(cat[c]);
        }
        for (int c = 0; c < num.length; c++) {
            defaultNum[c] = num[c] == null ? 0f : lowerMedian(num[c]);
        }
    }

    /**
     * Reads and checks the snapshot's bytes against the digest registration tagged and the model's
     * feature spec.
     */
    public static ItemSnapshot load(byte[] parquet, String uri, String expectedSha256, FeatureSpec spec)
            throws BadModelException {
        String actual = sha256(parquet);
        if (expectedSha256 == null || !actual.equalsIgnoreCase(expectedSha256.trim())) {
            throw new BadModelException("item snapshot " + uri + " has sha256 " + actual + " but the version was registered"
                    + " with " + ModelVersionRef.ITEM_SNAPSHOT_SHA256_TAG + " " + expectedSha256
                    + ": it changed after registration");
        }
        Path file = null;
        try {
            file = Files.createTempFile("rankops-items-", ".parquet");
            Files.write(file, parquet);
            return read(file, uri, actual, spec);
        } catch (IOException e) {
            throw new BadModelException("cannot stage item snapshot " + uri + ": " + e.getMessage(), e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    private static ItemSnapshot read(Path file, String uri, String sha256, FeatureSpec spec) throws BadModelException {
        try (Connection duck = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
                Statement sql = duck.createStatement()) {
            sql.execute("SET autoinstall_known_extensions = false");
            sql.execute("SET autoload_known_extensions = false");
            String source = "read_parquet('" + file.toString().replace("'", "''") + "')";
            Map<String, String> columns = new LinkedHashMap<>();
            try (ResultSet rows = sql.executeQuery("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "
                    + source + ")")) {
                while (rows.next()) {
                    columns.put(rows.getString(1), rows.getString(2));
                }
            } catch (SQLException e) {
                throw new BadModelException("item snapshot " + uri + " is not readable Parquet: " + e.getMessage(), e);
            }
            if (!columns.containsKey(FeatureSpec.ITEM_KEY)) {
                throw new BadModelException("item snapshot " + uri + " has no " + FeatureSpec.ITEM_KEY + " column");
            }
            List<String> served = servedFeatures(spec, columns, uri);
            StringBuilder select = new StringBuilder("SELECT \"" + FeatureSpec.ITEM_KEY + "\"::BIGINT");
            for (String name : served) {
                boolean categorical = spec.categorical().contains(name);
                select.append(", \"").append(name.replace("\"", "\"\"")).append("\"::")
                        .append(categorical ? "BIGINT" : "FLOAT");
            }
            int count;
            try (ResultSet rows = sql.executeQuery("SELECT count(*) FROM " + source)) {
                rows.next();
                count = Math.toIntExact(rows.getLong(1));
            }
            long[] ids = new long[count];
            long[][] cat = new long[spec.categorical().size()][];
            float[][] num = new float[spec.numerical().size()][];
            int[] target = new int[served.size()];
            for (int i = 0; i < served.size(); i++) {
                int c = spec.categorical().indexOf(served.get(i));
                if (c >= 0) {
                    cat[c] = new long[count];
                    target[i] = c;
                } else {
                    c = spec.numerical().indexOf(served.get(i));
                    num[c] = new float[count];
                    target[i] = -1 - c;
                }
            }
            try (ResultSet rows = sql.executeQuery(select + " FROM " + source)) {
                int row = 0;
                while (rows.next()) {
                    ids[row] = notNull(rows, 1, FeatureSpec.ITEM_KEY, row, uri);
                    for (int i = 0; i < served.size(); i++) {
                        if (target[i] >= 0) {
                            long value = notNull(rows, i + 2, served.get(i), row, uri);
                            if (value < 0) {
                                throw new BadModelException("item snapshot " + uri + ": categorical '" + served.get(i)
                                        + "' is negative (" + value + ") for item " + ids[row]);
                            }
                            cat[target[i]][row] = value;
                        } else {
                            float value = rows.getFloat(i + 2);
                            if (rows.wasNull() || !Float.isFinite(value)) {
                                throw new BadModelException("item snapshot " + uri + ": '" + served.get(i)
                                        + "' is not a finite number for item " + ids[row]);
                            }
                            num[-1 - target[i]][row] = value;
                        }
                    }
                    row++;
                }
            }
            return new ItemSnapshot(uri, sha256, new ItemIndex(ids), count, cat, num, List.copyOf(served));
        } catch (SQLException e) {
            throw new BadModelException("item snapshot " + uri + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static List<String> servedFeatures(FeatureSpec spec, Map<String, String> columns, String uri)
            throws BadModelException {
        if (spec.hasSources()) {
            for (String name : spec.itemFeatures()) {
                if (!columns.containsKey(name)) {
                    throw new BadModelException("item snapshot " + uri + " has no column '" + name
                            + "', an item feature of the model (columns: " + columns.keySet() + ")");
                }
            }
            return spec.itemFeatures();
        }
        List<String> served = new ArrayList<>();
        for (String name : columns.keySet()) {
            boolean feature = spec.categorical().contains(name) || spec.numerical().contains(name);
            if (feature && !name.equals(FeatureSpec.ITEM_KEY) && !name.equals(spec.regionColumn())) {
                served.add(name);
            }
        }
        return served;
    }

    private static long notNull(ResultSet rows, int column, String name, int row, String uri)
            throws SQLException, BadModelException {
        long value = rows.getLong(column);
        if (rows.wasNull()) {
            throw new BadModelException("item snapshot " + uri + ": '" + name + "' is null in row " + row);
        }
        return value;
    }

    /** The item's row, or -1 when the snapshot does not hold it (then {@link #cat}/{@link #num} give the default row). */
    public int row(long itemId) {
        return index.row(itemId);
    }

    /** Whether categorical column {@code c} of the spec comes from the snapshot. */
    public boolean servesCategorical(int c) {
        return cat[c] != null;
    }

    public boolean servesNumerical(int c) {
        return num[c] != null;
    }

    public long categorical(int c, int row) {
        return row < 0 ? defaultCat[c] : cat[c][row];
    }

    public float numerical(int c, int row) {
        return row < 0 ? defaultNum[c] : num[c][row];
    }

    public int items() {
        return items;
    }

    public String uri() {
        return uri;
    }

    public String sha256() {
        return sha256;
    }

    /** The features this snapshot serves, in spec order of its columns. */
    public List<String> features() {
        return served;
    }

    private static long mostFrequent(long[] values) {
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        long best = sorted[0];
        int bestRun = 0;
        for (int i = 0; i < sorted.length; ) {
            int j = i;
            while (j < sorted.length && sorted[j] == sorted[i]) {
                j++;
            }
            if (j - i > bestRun) {
                bestRun = j - i;
                best = sorted[i];
            }
            i = j;
        }
        return best;
    }

    private static float lowerMedian(float[] values) {
        if (values.length == 0) {
            return 0f;
        }
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
