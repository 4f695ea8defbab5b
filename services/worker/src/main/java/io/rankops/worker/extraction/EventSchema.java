package io.rankops.worker.extraction;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What an event partition must hold, in DuckDB's type names. Required columns have fixed roles;
 * {@code truth_*} columns are carried for evaluation only; a file with a {@code shown} column
 * holds whole candidate sets and describes its logging policy in the candidate-set columns
 * (never features); every other column is a feature and must be numeric, because the trainer
 * feeds it to a model as is.
 */
final class EventSchema {

    record Column(String name, String type) {
    }

    static final List<String> LABELS = List.of("click", "add_to_cart", "purchase");
    static final String TRUTH_PREFIX = "truth_";

    // The candidate-set schema (docs/data.md): every retrieved candidate is a row, shown or not.
    // A file with SHOWN is one; the same names are rankops_trainer/data/schema.py's (tests/test_names.py).
    static final String SHOWN = "shown";
    static final String DISPLAY_POSITION = "display_position";
    static final String PRERANK_KEPT = "prerank_kept";
    static final String PRERANK_POSITION = "prerank_position";
    static final String PROPENSITY = "propensity";
    static final String PROPENSITY_KEPT = "propensity_kept";
    static final List<String> CANDIDATE_SET_COLUMNS = List.of(SHOWN, DISPLAY_POSITION, PRERANK_KEPT, PRERANK_POSITION,
            PROPENSITY, PROPENSITY_KEPT);

    private static final Set<String> INTEGRAL = Set.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
            "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT");
    private static final Set<String> TIMESTAMPS = Set.of("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_S",
            "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP_US");

    private static final Predicate<String> IS_INTEGRAL = INTEGRAL::contains;
    private static final Predicate<String> IS_STRING = "VARCHAR"::equals;
    private static final Predicate<String> IS_LABEL = t -> "BOOLEAN".equals(t) || INTEGRAL.contains(t);
    private static final Predicate<String> IS_REAL = t -> "FLOAT".equals(t) || "DOUBLE".equals(t)
            || t.startsWith("DECIMAL");
    private static final Predicate<String> IS_NUMERIC = t -> IS_LABEL.test(t) || IS_REAL.test(t);

    /** Required column -> (accepted types, how to say them in a message). */
    private static final Map<String, Rule> REQUIRED = requiredColumns();
    /** The candidate-set columns; the first three are required in a candidate-set file. */
    private static final Map<String, Rule> CANDIDATE_SET = candidateSetColumns();
    private static final List<String> CANDIDATE_SET_REQUIRED = List.of(SHOWN, DISPLAY_POSITION, PROPENSITY);

    private record Rule(Predicate<String> accepts, String expected) {
    }

    private static Map<String, Rule> requiredColumns() {
        Map<String, Rule> rules = new LinkedHashMap<>();
        rules.put("request_id", new Rule(IS_STRING, "a string"));
        // Logs from older writers carry epoch milliseconds, newer ones a Parquet timestamp.
        rules.put("ts", new Rule(t -> TIMESTAMPS.contains(t) || "BIGINT".equals(t), "a timestamp or int64 epoch ms"));
        rules.put("dt", new Rule(t -> IS_STRING.test(t) || "DATE".equals(t), "a string or date"));
        rules.put("user_id", new Rule(IS_INTEGRAL, "an integer"));
        rules.put("region", new Rule(IS_STRING, "a string"));
        rules.put("query_id", new Rule(IS_INTEGRAL, "an integer"));
        rules.put("item_id", new Rule(IS_INTEGRAL, "an integer"));
        rules.put("position", new Rule(IS_INTEGRAL, "an integer"));
        for (String label : LABELS) {
            rules.put(label, new Rule(IS_LABEL, "0/1 integers or booleans"));
        }
        return rules;
    }

    private static Map<String, Rule> candidateSetColumns() {
        Map<String, Rule> rules = new LinkedHashMap<>();
        rules.put(SHOWN, new Rule(IS_LABEL, "0/1 integers or booleans"));
        rules.put(DISPLAY_POSITION, new Rule(IS_INTEGRAL, "an integer"));
        rules.put(PROPENSITY, new Rule(IS_REAL, "a float or double"));
        rules.put(PRERANK_KEPT, new Rule(IS_LABEL, "0/1 integers or booleans"));
        rules.put(PRERANK_POSITION, new Rule(IS_INTEGRAL, "an integer"));
        rules.put(PROPENSITY_KEPT, new Rule(IS_REAL, "a float or double"));
        return rules;
    }

    /** Whether the events hold whole candidate sets (a {@code shown} column) rather than displayed lists. */
    static boolean isCandidateSet(List<Column> columns) {
        return columns.stream().anyMatch(c -> SHOWN.equals(c.name()));
    }

    /** Whether a column of {@code columns} is there, by name. */
    static boolean has(List<Column> columns, String name) {
        return columns.stream().anyMatch(c -> name.equals(c.name()));
    }

    /** Throws BadEventData naming {@code objectKey} and the first offending column. */
    static void check(String objectKey, List<Column> columns) {
        Map<String, String> types = new LinkedHashMap<>();
        columns.forEach(c -> types.put(c.name(), c.type()));
        REQUIRED.forEach((name, rule) -> checkColumn(objectKey, name, rule, types.get(name), true));
        if (isCandidateSet(columns)) {
            CANDIDATE_SET.forEach((name, rule) -> checkColumn(objectKey, name, rule, types.get(name),
                    CANDIDATE_SET_REQUIRED.contains(name)));
        } else {
            for (String name : CANDIDATE_SET.keySet()) {
                if (types.containsKey(name)) {
                    throw ExtractionRejectedException.badEventData(objectKey + ": column '" + name
                            + "' belongs to the candidate-set schema, which needs the column '" + SHOWN + "' too");
                }
            }
        }
        for (Column column : columns) {
            boolean feature = !REQUIRED.containsKey(column.name()) && !CANDIDATE_SET.containsKey(column.name())
                    && !column.name().startsWith(TRUTH_PREFIX);
            if (feature && !IS_NUMERIC.test(column.type())) {
                throw ExtractionRejectedException.badEventData(objectKey + ": feature column '" + column.name()
                        + "' has type " + column.type() + ", features must be numeric");
            }
        }
    }

    private static void checkColumn(String objectKey, String name, Rule rule, String type, boolean required) {
        if (type == null) {
            if (required) {
                throw ExtractionRejectedException.badEventData(
                        objectKey + ": required column '" + name + "' is missing");
            }
            return;
        }
        if (!rule.accepts().test(type)) {
            throw ExtractionRejectedException.badEventData(objectKey + ": column '" + name
                    + "' has type " + type + ", expected " + rule.expected());
        }
    }

    private EventSchema() {
    }
}
