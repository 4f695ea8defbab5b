package io.rankops.worker.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankops.platform.mlflow.MlflowCredentials;
import io.rankops.platform.mlflow.MlflowRest;
import io.rankops.platform.names.RegistryNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * The MLflow model-registry REST calls the Java client has no method for, through its own
 * sendGet/sendPost helpers (which carry its auth and retries). Model versions come back as the
 * REST API's JSON {@code model_version} objects.
 */
public class MlflowRegistry {

    private final MlflowClient client;
    private final MlflowCredentials credentials;
    private final String trackingUri;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Signs every call in as the given account: the MLflow client's and the one it has no helper for. */
    public MlflowRegistry(MlflowCredentials credentials) {
        this.client = new MlflowClient(new BasicMlflowHostCreds(credentials.trackingUri(), credentials.username(),
                credentials.password()));
        this.credentials = credentials;
        this.trackingUri = credentials.trackingUri();
    }

    public MlflowClient client() {
        return client;
    }

    /**
     * Idempotent: creates the registered model unless one with this name exists. Create comes first:
     * MLflow's auth app answers 403, not 404, for a model nobody granted this account (it cannot
     * tell "absent" from "not yours"), while creating one makes the worker its manager.
     */
    public void ensureRegisteredModel(String name) {
        try {
            client.sendPost("registered-models/create", json.createObjectNode().put("name", name).toString());
        } catch (MlflowHttpException e) {
            if (!MlflowRest.isAlreadyExists(e.getBodyMessage())) {
                throw e;
            }
        }
    }

    public Optional<JsonNode> registeredModel(String name) {
        try {
            return Optional.of(parse(client.sendGet("registered-models/get?name=" + MlflowRest.query(name)))
                    .path("registered_model"));
        } catch (MlflowHttpException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The version an alias points at; empty when the model or the alias does not exist. */
    public Optional<JsonNode> versionByAlias(String name, String alias) {
        return aliasVersion(name, alias).flatMap(version -> version(name, version));
    }

    /** The version number an alias points at; empty when the model or the alias does not exist. */
    public Optional<String> aliasVersion(String name, String alias) {
        // registered-models/get lists aliases and 404s for an unknown model; the alias endpoint
        // itself answers a missing alias with a 400 that only its message tells apart.
        return registeredModel(name).flatMap(model -> StreamSupport.stream(model.path("aliases").spliterator(), false)
                .filter(a -> alias.equals(a.path("alias").asText()))
                .map(a -> a.path("version").asText())
                .findFirst());
    }

    public Optional<JsonNode> version(String name, String version) {
        try {
            return Optional.of(parse(client.sendGet("model-versions/get?name=" + MlflowRest.query(name)
                    + "&version=" + MlflowRest.query(version))).path("model_version"));
        } catch (MlflowHttpException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The lowest-numbered version carrying tag {@code key=value}, if any. */
    public Optional<JsonNode> versionTagged(String name, String key, String value) {
        String filter = MlflowRest.nameEquals(name) + " and " + MlflowRest.tagEquals(key, value);
        JsonNode found = parse(client.sendGet("model-versions/search?filter=" + MlflowRest.query(filter)))
                .path("model_versions");
        return StreamSupport.stream(found.spliterator(), false)
                .min(Comparator.comparingLong(v -> v.path("version").asLong()));
    }

    public JsonNode createVersion(String name, String source, String mlflowRunId, Map<String, String> tags) {
        ObjectNode body = json.createObjectNode().put("name", name).put("source", source);
        if (mlflowRunId != null && !mlflowRunId.isBlank()) {
            body.put("run_id", mlflowRunId);
        }
        ArrayNode tagList = body.putArray("tags");
        tags.forEach((key, value) -> tagList.addObject().put("key", key).put("value", value));
        return parse(client.sendPost("model-versions/create", body.toString())).path("model_version");
    }

    /** Idempotent: points {@code alias} at {@code version}, moving it if it pointed elsewhere. */
    public void setAlias(String name, String alias, String version) {
        client.sendPost("registered-models/alias", json.createObjectNode()
                .put("name", name).put("alias", alias).put("version", version).toString());
    }

    /**
     * Idempotent: removes {@code alias} from the model. The Java client has no DELETE helper, so
     * this one call goes out on its own HTTP request, with the same account's credentials.
     */
    public void deleteAlias(String name, String alias) {
        // MLflow reads a DELETE's parameters from its JSON body, not the query string.
        String body = json.createObjectNode().put("name", name).put("alias", alias).toString();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(trackingUri + "/api/2.0/mlflow/registered-models/alias"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString(body));
        request.header("Authorization", credentials.authorization());
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("MLflow at " + trackingUri + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deleting alias " + alias, e);
        }
        // A missing model or alias answers 404: already the state we want.
        boolean absent = MlflowRest.isAbsent(response.statusCode(), response.body());
        if (response.statusCode() / 100 != 2 && !absent) {
            throw new MlflowHttpException(response.statusCode(), "DELETE registered-models/alias", response.body());
        }
    }

    /** Idempotent: sets one tag on one model version. */
    public void setVersionTag(String name, String version, String key, String value) {
        client.sendPost("model-versions/set-tag", json.createObjectNode().put("name", name).put("version", version)
                .put("key", key).put("value", value).toString());
    }

    /**
     * Ends the MLflow run with this id, or the one tagged {@code rankops.run_id = runId} in
     * {@code experiment} when the id is unknown, with {@code status}, and tags its outcome. Does
     * nothing when no such run exists (the run failed before training created one).
     */
    public void endRun(String mlflowRunId, String experiment, String runId, RunStatus status, String outcomeTag,
            String outcome) {
        Optional<String> id = Optional.ofNullable(mlflowRunId).filter(s -> !s.isBlank())
                .or(() -> client.getExperimentByName(experiment).flatMap(e -> client.searchRuns(
                        List.of(e.getExperimentId()), MlflowRest.tagEquals(RegistryNames.RUN_ID_TAG, runId))
                        .stream().findFirst().map(RunInfo::getRunId)));
        id.ifPresent(run -> {
            client.setTag(run, outcomeTag, outcome);
            client.setTerminated(run, status);
        });
    }

    private JsonNode parse(String response) {
        try {
            return json.readTree(response);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("MLflow returned unreadable JSON: " + response, e);
        }
    }

    private static boolean isNotFound(MlflowHttpException e) {
        return MlflowRest.isAbsent(e.getStatusCode(), e.getBodyMessage());
    }
}
