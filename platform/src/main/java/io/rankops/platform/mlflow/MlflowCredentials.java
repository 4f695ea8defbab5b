package io.rankops.platform.mlflow;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where an MLflow client of rankops signs in, and as whom. MLflow runs with its basic-auth app and
 * no permission by default, so a client without an account can do nothing: a missing or blank
 * value fails at startup naming the property, not at the first call with a 401.
 *
 * @param trackingUri {@code rankops.mlflow.tracking-uri}
 * @param username    {@code rankops.mlflow.username}, the service's own account
 * @param password    {@code rankops.mlflow.password}
 */
public record MlflowCredentials(String trackingUri, String username, String password) {

    public MlflowCredentials {
        trackingUri = require(trackingUri, "rankops.mlflow.tracking-uri").replaceAll("/+$", "");
        require(username, "rankops.mlflow.username");
        require(password, "rankops.mlflow.password");
    }

    /** The value of an {@code Authorization} header for a request made without the MLflow client. */
    public String authorization() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Never the password: these end up in logs and exception messages. */
    @Override
    public String toString() {
        return "MlflowCredentials[" + username + "@" + trackingUri + "]";
    }

    private static String require(String value, String property) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(property + " is not set: every MLflow client signs in with its service's "
                    + "own account (RANKOPS_MLFLOW_<SERVICE>_USER/_PASSWORD, infra/local/rankops.env or the deployment's secret)");
        }
        return value;
    }
}
