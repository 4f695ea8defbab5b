package io.rankops.platform.mlflow;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * What every MLflow REST caller of rankops must spell the same way: search filters (quoting and
 * escaping, so a name with a quote cannot widen a search) and the answers that mean "not there"
 * or "someone else created it first".
 */
public final class MlflowRest {

    /** MLflow's error code for an unknown model, version, alias or run (HTTP 404). */
    public static final String DOES_NOT_EXIST = "RESOURCE_DOES_NOT_EXIST";
    /** MLflow's error code when a concurrent caller created the model first. */
    public static final String ALREADY_EXISTS = "RESOURCE_ALREADY_EXISTS";

    /** A string literal for a search filter: single-quoted, backslashes and quotes escaped. */
    public static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** {@code tags.`key` = 'value'}: tag keys contain dots, so they are back-quoted. */
    public static String tagEquals(String key, String value) {
        if (key.indexOf('`') >= 0) {
            throw new IllegalArgumentException("a tag key cannot contain a back-quote: " + key);
        }
        return "tags.`" + key + "` = " + literal(value);
    }

    /** {@code name = 'value'}, for registered models and model versions. */
    public static String nameEquals(String name) {
        return "name = " + literal(name);
    }

    /** A filter (or any value) as a query parameter. */
    public static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** MLflow answered that the thing asked for does not exist (404, or its error code in the body). */
    public static boolean isAbsent(int status, String body) {
        return status == 404 || (body != null && body.contains(DOES_NOT_EXIST));
    }

    /** MLflow refused a create because it exists: the caller lost a race it may ignore. */
    public static boolean isAlreadyExists(String body) {
        return body != null && body.contains(ALREADY_EXISTS);
    }

    private MlflowRest() {
    }
}
