package io.rankops.api.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;

/**
 * Experiments and registered models in MLflow, through the MLflow Java client. Calls the
 * client has no method for go through its own authenticated REST helpers.
 */
@ApplicationScoped
public class ModelRegistry {

    private final MlflowClient client;
    private final ObjectMapper json;
    private final String trackingUri;

    public ModelRegistry(@ConfigProperty(name = "rankops.mlflow.tracking-uri") String trackingUri, ObjectMapper json) {
        this.trackingUri = trackingUri;
        this.client = new MlflowClient(trackingUri);
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
        try {
            return Optional.of(parseModel(client.sendGet("registered-models/get?name=" + urlEncode(name))));
        } catch (MlflowHttpException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private RegisteredModel parseModel(String response) {
        try {
            JsonNode model = json.readTree(response).path("registered_model");
            return new RegisteredModel(model.path("name").asText(), model.path("description").asText(""),
                    model.path("creation_timestamp").asLong());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("MLflow returned unreadable JSON: " + response, e);
        }
    }

    private static String urlEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
