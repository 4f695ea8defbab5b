package io.rankops.ranker.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankops.platform.mlflow.MlflowCredentials;
import io.rankops.platform.mlflow.MlflowRest;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Resolves a registered model's alias to a version and its artifact source through the MLflow
 * REST API (the same calls as the worker's MlflowRegistry, over java.net.http: the ranker only
 * reads two endpoints and does not need the MLflow client's dependencies).
 */
@ApplicationScoped
public class MlflowAliases {

    private final HttpClient http;
    private final ObjectMapper json;
    private final String api;
    private final String authorization;
    private final Duration timeout;

    public MlflowAliases(MlflowSettings settings, ObjectMapper json) {
        MlflowCredentials credentials = settings.credentials();
        this.timeout = settings.timeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.json = json;
        this.api = credentials.trackingUri() + "/api/2.0/mlflow/";
        this.authorization = credentials.authorization();
    }

    /**
     * The version {@code alias} points at; empty when the registered model or the alias does not
     * exist.
     *
     * @throws RegistryUnavailableException when MLflow cannot be asked (the caller keeps what it serves)
     */
    public Optional<ModelVersionRef> resolve(String modelName, String alias) {
        // registered-models/get lists the aliases and 404s for an unknown model; the alias endpoint
        // itself answers a missing alias with a 400 that only its message tells apart.
        Optional<JsonNode> model = get("registered-models/get?name=" + MlflowRest.query(modelName)).map(r -> r.path("registered_model"));
        if (model.isEmpty()) {
            return Optional.empty();
        }
        String version = null;
        for (JsonNode entry : model.get().path("aliases")) {
            if (alias.equals(entry.path("alias").asText())) {
                version = entry.path("version").asText();
            }
        }
        if (version == null) {
            return Optional.empty();
        }
        String number = version;
        return get("model-versions/get?name=" + MlflowRest.query(modelName) + "&version=" + MlflowRest.query(version))
                .map(r -> r.path("model_version"))
                .map(v -> new ModelVersionRef(number, v.path("source").asText(), tag(v, ModelVersionRef.SHA256_TAG),
                        tag(v, ModelVersionRef.ITEM_SNAPSHOT_URI_TAG), tag(v, ModelVersionRef.ITEM_SNAPSHOT_SHA256_TAG)));
    }

    private static String tag(JsonNode modelVersion, String key) {
        for (JsonNode tag : modelVersion.path("tags")) {
            if (key.equals(tag.path("key").asText())) {
                String value = tag.path("value").asText();
                return value.isBlank() ? null : value;
            }
        }
        return null;
    }

    private Optional<JsonNode> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + path)).timeout(timeout)
                .header("Authorization", authorization).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryUnavailableException("MLflow at " + api + " is unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while asking MLflow", e);
        }
        if (MlflowRest.isAbsent(response.statusCode(), response.body())) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new RegistryUnavailableException("MLflow answered " + response.statusCode() + " to " + path + ": " + response.body());
        }
        try {
            return Optional.of(json.readTree(response.body()));
        } catch (IOException e) {
            throw new RegistryUnavailableException("MLflow returned unreadable JSON for " + path, e);
        }
    }

    /** MLflow could not be asked; nothing is known about the alias. */
    public static class RegistryUnavailableException extends RuntimeException {
        public RegistryUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }

        public RegistryUnavailableException(String message) {
            super(message);
        }
    }
}
