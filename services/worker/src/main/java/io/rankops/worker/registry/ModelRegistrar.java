package io.rankops.worker.registry;

import static io.rankops.platform.names.RegistryNames.CHAMPION_ALIAS;
import static io.rankops.platform.names.RegistryNames.DATASET_ID_TAG;
import static io.rankops.platform.names.RegistryNames.GIT_SHA_TAG;
import static io.rankops.platform.names.RegistryNames.LIFECYCLE_TAG;
import static io.rankops.platform.names.RegistryNames.METRIC_TAG_PREFIX;
import static io.rankops.platform.names.RegistryNames.MODEL_FAMILY_TAG;
import static io.rankops.platform.names.RegistryNames.ONNX_SHA256_TAG;
import static io.rankops.platform.names.RegistryNames.RUN_ID_TAG;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankops.workflows.pipeline.records.RegisteredVersion;
import io.rankops.workflows.pipeline.records.RegistrationRequest;
import io.rankops.workflows.pipeline.records.VersionLifecycle;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Registers a run's ONNX artifact as an MLflow model version with lineage tags, tagged as
 * awaiting approval and with no alias: nothing serves it until a release manager approves
 * ({@link AliasLifecycle} moves aliases from then on). The version is found again by its
 * {@code rankops.run_id} tag, so a retried or duplicated call never makes a second version.
 */
public class ModelRegistrar {

    private final MlflowRegistry registry;
    private final OnnxArtifactCheck artifactCheck;
    private final String gitSha;
    private final ItemSnapshotLineage itemSnapshots;

    public ModelRegistrar(MlflowRegistry registry, OnnxArtifactCheck artifactCheck, String gitSha) {
        this(registry, artifactCheck, gitSha, null);
    }

    /** With {@code itemSnapshots}, a version is tagged with its dataset's item snapshot (URI and SHA-256). */
    public ModelRegistrar(MlflowRegistry registry, OnnxArtifactCheck artifactCheck, String gitSha,
            ItemSnapshotLineage itemSnapshots) {
        this.registry = registry;
        this.artifactCheck = artifactCheck;
        this.gitSha = gitSha;
        this.itemSnapshots = itemSnapshots;
    }

    /**
     * The version behind alias {@code champion}, or null when there is none yet. A run's model is
     * created here if new, so the worker manages it from the start (see ensureRegisteredModel).
     */
    public RegisteredVersion findChampion(String modelName) {
        registry.ensureRegisteredModel(modelName);
        return registry.versionByAlias(modelName, CHAMPION_ALIAS)
                .map(v -> new RegisteredVersion(modelName, v.path("version").asText(), CHAMPION_ALIAS,
                        v.path("source").asText()))
                .orElse(null);
    }

    public RegisteredVersion register(RegistrationRequest request) {
        requireText(request.runId(), "runId");
        requireText(request.modelName(), "modelName");
        JsonNode version = registry.versionTagged(request.modelName(), RUN_ID_TAG, request.runId())
                .orElseGet(() -> createVersion(request));
        return new RegisteredVersion(request.modelName(), version.path("version").asText(), null,
                version.path("source").asText());
    }

    private JsonNode createVersion(RegistrationRequest request) {
        // Checked before anything is written, so a bad artifact leaves the registry untouched.
        String sha256 = artifactCheck.verify(request.onnxUri(), request.onnxSha256());
        Map<String, String> snapshotTags = itemSnapshots == null ? Map.of() : itemSnapshots.tags(request.datasetId());
        registry.ensureRegisteredModel(request.modelName());
        Map<String, String> tags = lineageTags(request);
        tags.put(ONNX_SHA256_TAG, sha256);
        tags.putAll(snapshotTags);
        // Written with the version itself, so no moment exists where it is registered but untagged.
        tags.put(LIFECYCLE_TAG, VersionLifecycle.AWAITING_APPROVAL.name());
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
