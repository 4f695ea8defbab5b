package io.rankops.worker.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankops.workflows.pipeline.RegisteredVersion;
import io.rankops.workflows.pipeline.RegistrationRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Registers a run's ONNX artifact as an MLflow model version with lineage tags and moves alias
 * {@code candidate} to it. The version is found again by its {@code rankops.run_id} tag, so a
 * retried or duplicated call never makes a second version for the same run.
 */
public class ModelRegistrar {

    public static final String CANDIDATE = "candidate";
    public static final String CHAMPION = "champion";
    public static final String RUN_ID_TAG = "rankops.run_id";
    public static final String DATASET_ID_TAG = "rankops.dataset_id";
    public static final String MODEL_FAMILY_TAG = "rankops.model_family";
    public static final String GIT_SHA_TAG = "rankops.git_sha";
    /** SHA-256 of the registered artifact's bytes, checked at registration; the ranker checks it at load. */
    public static final String ONNX_SHA256_TAG = "rankops.onnx_sha256";
    public static final String METRIC_TAG_PREFIX = "metric.";

    private final MlflowRegistry registry;
    private final OnnxArtifactCheck artifactCheck;
    private final String gitSha;

    public ModelRegistrar(MlflowRegistry registry, OnnxArtifactCheck artifactCheck, String gitSha) {
        this.registry = registry;
        this.artifactCheck = artifactCheck;
        this.gitSha = gitSha;
    }

    /** The version behind alias {@code champion}, or null when there is no model or no such alias. */
    public RegisteredVersion findChampion(String modelName) {
        return registry.versionByAlias(modelName, CHAMPION)
                .map(v -> new RegisteredVersion(modelName, v.path("version").asText(), CHAMPION, v.path("source").asText()))
                .orElse(null);
    }

    public RegisteredVersion register(RegistrationRequest request) {
        requireText(request.runId(), "runId");
        requireText(request.modelName(), "modelName");
        JsonNode version = registry.versionTagged(request.modelName(), RUN_ID_TAG, request.runId())
                .orElseGet(() -> createVersion(request));
        String number = version.path("version").asText();
        // Also on the found path: an earlier attempt may have died between create and alias.
        registry.setAlias(request.modelName(), CANDIDATE, number);
        return new RegisteredVersion(request.modelName(), number, CANDIDATE, version.path("source").asText());
    }

    private JsonNode createVersion(RegistrationRequest request) {
        // Checked before anything is written, so a bad artifact leaves the registry untouched.
        String sha256 = artifactCheck.verify(request.onnxUri(), request.onnxSha256());
        registry.ensureRegisteredModel(request.modelName());
        Map<String, String> tags = lineageTags(request);
        tags.put(ONNX_SHA256_TAG, sha256);
        return registry.createVersion(request.modelName(), request.onnxUri(), request.mlflowRunId(), tags);
    }

    Map<String, String> lineageTags(RegistrationRequest request) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(RUN_ID_TAG, request.runId());
        putIfPresent(tags, DATASET_ID_TAG, request.datasetId());
        putIfPresent(tags, MODEL_FAMILY_TAG, request.modelFamily());
        tags.put(GIT_SHA_TAG, gitSha);
        if (request.metrics() != null) {
            new TreeMap<>(request.metrics()).forEach((name, value) -> {
                if (value != null) {
                    tags.put(METRIC_TAG_PREFIX + name, value.toString());
                }
            });
        }
        return tags;
    }

    private static void putIfPresent(Map<String, String> tags, String key, String value) {
        if (value != null && !value.isBlank()) {
            tags.put(key, value);
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("registration request has no " + field);
        }
    }
}
