package io.rankops.worker.extraction;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What an event partition must hold, in DuckDB's type names. Required columns have fixed roles;
 * {@code truth_*} columns are carried for evaluation only; every other column is a feature and
 * must be numeric, because the trainer feeds it to a model as is.
 */
final class EventSchema {

    record Column(String name, String type) {
    }

    static final List<String> LABELS = List.of("click", "add_to_cart", "purchase");
    static final String TRUTH_PREFIX = "truth_";

    private static final Set<String> INTEGRAL = Set.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
            "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT");
    private static final Set<String> TIMESTAMPS = Set.of("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_S",
            "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP_US");

    private static final Predicate<String> IS_INTEGRAL = INTEGRAL::contains;
    private static final Predicate<String> IS_STRING = "VARCHAR"::equals;
    private static final Predicate<String> IS_LABEL = t -> "BOOLEAN".equals(t) || INTEGRAL.contains(t);
    private static final Predicate<String> IS_NUMERIC = t -> IS_LABEL.test(t) || "FLOAT".equals(t)
            || "DOUBLE".equals(t) || t.startsWith("DECIMAL");

    /** Required column -> (accepted types, how to say them in a message). */
    private static final Map<String, Rule> REQUIRED = requiredColumns();

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

    /** Throws BadEventData naming {@code objectKey} and the first offending column. */
    static void check(String objectKey, List<Column> columns) {
        Map<String, String> types = new LinkedHashMap<>();
        columns.forEach(c -> types.put(c.name(), c.type()));
        REQUIRED.forEach((name, rule) -> {
            String type = types.get(name);
            if (type == null) {
                throw ExtractionRejectedException.badEventData(
                        objectKey + ": required column '" + name + "' is missing");
            }
            if (!rule.accepts().test(type)) {
                throw ExtractionRejectedException.badEventData(objectKey + ": column '" + name
                        + "' has type " + type + ", expected " + rule.expected());
            }
        });
        for (Column column : columns) {
            boolean feature = !REQUIRED.containsKey(column.name()) && !column.name().startsWith(TRUTH_PREFIX);
            if (feature && !IS_NUMERIC.test(column.type())) {
                throw ExtractionRejectedException.badEventData(objectKey + ": feature column '" + column.name()
                        + "' has type " + column.type() + ", features must be numeric");
            }
        }
    }

    private EventSchema() {
    }
}
