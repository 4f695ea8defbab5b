package io.rankops.api.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankops.platform.mlflow.MlflowCredentials;
import io.rankops.platform.mlflow.MlflowRest;
import io.rankops.platform.names.RegistryNames;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * Experiments and registered models in MLflow, through the MLflow Java client. Calls the
 * client has no method for go through its own authenticated REST helpers.
 */
@ApplicationScoped
public class ModelRegistry {

    private final MlflowClient client;
    private final ObjectMapper json;
    private final String trackingUri;

    /** Signs in as the API's own account (in tests, the suites'): read only in MLflow. */
    public ModelRegistry(@ConfigProperty(name = "rankops.mlflow.tracking-uri") String trackingUri,
            @ConfigProperty(name = "rankops.mlflow.username") String username,
            @ConfigProperty(name = "rankops.mlflow.password") String password, ObjectMapper json) {
        MlflowCredentials credentials = new MlflowCredentials(trackingUri, username, password);
        this.trackingUri = credentials.trackingUri();
        this.client = new MlflowClient(new BasicMlflowHostCreds(credentials.trackingUri(), credentials.username(),
                credentials.password()));
        this.json = json;
    }

    public String trackingUri() {
        return trackingUri;
    }

    /** Idempotent: the id of the experiment with this name, created if absent. */
    public String ensureExperiment(String name) {
        return client.getExperimentByName(name)
                .map(Experiment::getExperimentId)
                .orElseGet(() -> client.createExperiment(name));
    }

    public Experiment experiment(String id) {
        return client.getExperiment(id);
    }

    /** Idempotent: creates the registered model unless one with this name exists. */
    public RegisteredModel ensureRegisteredModel(String name, String description) {
        return registeredModel(name).orElseGet(() -> {
            String body = json.createObjectNode().put("name", name).put("description", description).toString();
            return parseModel(client.sendPost("registered-models/create", body));
        });
    }

    public Optional<RegisteredModel> registeredModel(String name) {
        return registeredModelJson(name).map(ModelRegistry::model);
    }

    /** MLflow pages model-version searches; one page is plenty for a model's history here. */
    static final int MAX_VERSIONS = 200;

    /** The version an alias of the model points at; empty when the model or the alias does not exist. */
    public Optional<String> aliasVersion(String name, String alias) {
        return registeredModelJson(name).map(ModelRegistry::aliases).map(aliases -> aliases.get(alias));
    }

    /** Empty when no registered model has this name. Versions come newest first. */
    public Optional<ModelVersions> versions(String name) {
        Optional<JsonNode> registered = registeredModelJson(name);
        if (registered.isEmpty()) {
            return Optional.empty();
        }
        JsonNode model = registered.get();
        Map<String, String> aliases = aliases(model);

        String filter = MlflowRest.nameEquals(name);
        JsonNode found = readTree(client.sendGet("model-versions/search?filter=" + MlflowRest.query(filter)
                + "&max_results=" + MAX_VERSIONS));
        List<ModelVersions.Version> versions = new ArrayList<>();
        found.path("model_versions").forEach(v -> {
            Map<String, String> tags = new TreeMap<>();
            v.path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
            String number = v.path("version").asText();
            List<String> versionAliases = aliases.entrySet().stream().filter(a -> a.getValue().equals(number))
                    .map(Map.Entry::getKey).toList();
            versions.add(new ModelVersions.Version(number, v.path("status").asText(null), v.path("source").asText(null),
                    v.path("run_id").asText(null), v.path("creation_timestamp").asLong(), versionAliases,
                    tags.get(RegistryNames.RUN_ID_TAG), tags.get(RegistryNames.DATASET_ID_TAG),
                    tags.get(RegistryNames.LIFECYCLE_TAG), tags));
        });
        versions.sort(Comparator.comparingLong((ModelVersions.Version v) -> parseLong(v.version())).reversed());
        return Optional.of(new ModelVersions(model.path("name").asText(name), model.path("description").asText(""),
                aliases, versions));
    }

    /** The experiment an MLflow run belongs to; empty when MLflow does not know the run. */
    public Optional<String> experimentOfRun(String mlflowRunId) {
        try {
            return Optional.of(readTree(client.sendGet("runs/get?run_id=" + MlflowRest.query(mlflowRunId)))
                    .path("run").path("info").path("experiment_id").asText())
                    .filter(id -> !id.isEmpty());
        } catch (MlflowHttpException e) {
            if (MlflowRest.isAbsent(e.getStatusCode(), e.getBodyMessage())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The experiment the trainer logs every pipeline run's training to (services/trainer activities.py). */
    public static final String PIPELINE_EXPERIMENT = RegistryNames.TRAINING_EXPERIMENT;

    /** One logged value of a metric: MLflow's step (the trainer's epoch), value and time. */
    public record MetricPoint(long step, double value, long timestamp) {
    }

    /**
     * The newest MLflow run in the experiment with this tag value; empty when the experiment or
     * such a run does not exist.
     */
    public Optional<String> findRunByTag(String experimentName, String tag, String value) {
        Optional<String> experiment = client.getExperimentByName(experimentName).map(Experiment::getExperimentId);
        if (experiment.isEmpty()) {
            return Optional.empty();
        }
        var body = json.createObjectNode();
        body.putArray("experiment_ids").add(experiment.get());
        body.put("filter", MlflowRest.tagEquals(tag, value));
        body.put("max_results", 1);
        body.putArray("order_by").add("attributes.start_time DESC");
        JsonNode runs = readTree(client.sendPost("runs/search", body.toString())).path("runs");
        return runs.isArray() && !runs.isEmpty()
                ? Optional.of(runs.get(0).path("info").path("run_id").asText()).filter(id -> !id.isEmpty())
                : Optional.empty();
    }

    /**
     * Every value ever logged for each metric of the run, by metric key (sorted); empty when MLflow
     * does not know the run.
     */
    public Optional<Map<String, List<MetricPoint>>> metricHistory(String mlflowRunId) {
        JsonNode run;
        try {
            run = readTree(client.sendGet("runs/get?run_id=" + MlflowRest.query(mlflowRunId))).path("run");
        } catch (MlflowHttpException e) {
            if (MlflowRest.isAbsent(e.getStatusCode(), e.getBodyMessage()) || e.getStatusCode() == 400) {
                return Optional.empty(); // 400: MLflow answers INVALID_PARAMETER_VALUE for a malformed id
            }
            throw e;
        }
        Map<String, List<MetricPoint>> history = new TreeMap<>();
        for (JsonNode latest : run.path("data").path("metrics")) {
            String key = latest.path("key").asText();
            if (key.isEmpty() || history.containsKey(key)) {
                continue;
            }
            List<MetricPoint> points = new ArrayList<>();
            JsonNode found = readTree(client.sendGet("metrics/get-history?run_id=" + MlflowRest.query(mlflowRunId)
                    + "&metric_key=" + MlflowRest.query(key)));
            found.path("metrics").forEach(m -> points.add(new MetricPoint(m.path("step").asLong(),
                    m.path("value").asDouble(Double.NaN), m.path("timestamp").asLong())));
            history.put(key, points);
        }
        return Optional.of(history);
    }

    /** The REST API's {@code registered_model} object; empty for an unknown name. */
    private Optional<JsonNode> registeredModelJson(String name) {
        try {
            return Optional.of(readTree(client.sendGet("registered-models/get?name=" + MlflowRest.query(name)))
                    .path("registered_model"));
        } catch (MlflowHttpException e) {
            if (MlflowRest.isAbsent(e.getStatusCode(), e.getBodyMessage())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** alias → version of a registered model, sorted by alias. */
    private static Map<String, String> aliases(JsonNode model) {
        Map<String, String> aliases = new TreeMap<>();
        model.path("aliases").forEach(a -> aliases.put(a.path("alias").asText(), a.path("version").asText()));
        return aliases;
    }

    private JsonNode readTree(String response) {
        try {
            return json.readTree(response);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("MLflow returned unreadable JSON: " + response, e);
        }
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private RegisteredModel parseModel(String response) {
        return model(readTree(response).path("registered_model"));
    }

    private static RegisteredModel model(JsonNode model) {
        return new RegisteredModel(model.path("name").asText(), model.path("description").asText(""),
                model.path("creation_timestamp").asLong());
    }

}
