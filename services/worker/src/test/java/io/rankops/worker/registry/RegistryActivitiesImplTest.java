package io.rankops.worker.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankops.platform.names.RegistryNames;
import io.rankops.platform.storage.ObjectStore;
import io.rankops.worker.support.StackEnv;
import io.rankops.workflows.pipeline.records.RegisteredVersion;
import io.rankops.workflows.pipeline.records.RegistrationRequest;
import io.rankops.workflows.pipeline.records.TrainingRunClosure;
import io.rankops.workflows.pipeline.records.VersionLifecycle;
import io.rankops.workflows.pipeline.records.VersionSettlement;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.tracking.MlflowClient;

/** Against the stack's real MLflow registry and MinIO; each test registers its own model name. */
class RegistryActivitiesImplTest {

    private static final String GIT_SHA = "0123abc";

    private ObjectStore store;
    private MlflowRegistry registry;
    private AliasLifecycle lifecycle;
    private RegistryActivitiesImpl activities;
    private String modelName;
    private String onnxUri;
    private String modelsPrefix;
    private String onnxSha256;

    @BeforeEach
    void setUp() {
        store = StackEnv.objectStore();
        registry = new MlflowRegistry(StackEnv.mlflowCredentials());
        lifecycle = new AliasLifecycle(registry);
        // No ranker here: settling reloads it best-effort, and this test reads MLflow itself.
        activities = new RegistryActivitiesImpl(new ModelRegistrar(registry, new OnnxArtifactCheck(store), GIT_SHA),
                lifecycle, registry, null);
        modelName = "rankops-test-" + UUID.randomUUID();
        modelsPrefix = StackEnv.uniquePrefix("models");
        String key = modelsPrefix + "model.onnx";
        store.put(key, OnnxBytes.minimalModel(), "application/octet-stream");
        onnxUri = "s3://" + store.bucket() + "/" + key;
        onnxSha256 = sha256(OnnxBytes.minimalModel());
    }

    @AfterEach
    void deleteTestModel() throws Exception {
        // The Java client has no DELETE helper; the dev registry should not fill up with test models.
        HttpRequest delete = HttpRequest.newBuilder(URI.create(StackEnv.mlflowTrackingUri()
                        + "/api/2.0/mlflow/registered-models/delete"))
                .header("Content-Type", "application/json")
                .header("Authorization", StackEnv.mlflowCredentials().authorization())
                .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"name\": \"" + modelName + "\"}"))
                .build();
        HttpClient.newHttpClient().send(delete, HttpResponse.BodyHandlers.discarding());
        StackEnv.deleteUnder(modelsPrefix);
    }

    @Test
    void registeringTwiceForOneRunGivesOneVersionWithLineageAndNoAlias() {
        String mlflowRunId = registry.client().createRun("0").getRunId();
        RegistrationRequest request = new RegistrationRequest("run-a", modelName, onnxUri, mlflowRunId, "ds-00aa",
                "resflow", Map.of("wr_at_10", 0.42, "auc_click", 0.71), onnxSha256);

        RegisteredVersion first = activities.register(request);
        RegisteredVersion retried = activities.register(request);

        assertEquals(new RegisteredVersion(modelName, "1", null, onnxUri), first);
        assertEquals(first, retried);
        JsonNode version = registry.version(modelName, first.version()).orElseThrow();
        assertEquals(mlflowRunId, version.path("run_id").asText());
        Map<String, String> tags = tags(version);
        assertEquals("run-a", tags.get("rankops.run_id"));
        assertEquals("ds-00aa", tags.get("rankops.dataset_id"));
        assertEquals("resflow", tags.get("rankops.model_family"));
        assertEquals(GIT_SHA, tags.get("rankops.git_sha"));
        assertEquals("0.42", tags.get("metric.wr_at_10"));
        assertEquals("0.71", tags.get("metric.auc_click"));
        assertEquals(onnxSha256, tags.get("rankops.onnx_sha256"));
        assertEquals("AWAITING_APPROVAL", tags.get("rankops.lifecycle"));
        assertAliases(null, null);
    }

    @Test
    void aNewRunGetsANewVersionAndNeitherGetsAnAlias() {
        RegisteredVersion first = register("run-a");
        RegisteredVersion second = register("run-b");

        assertNotEquals(first.version(), second.version());
        assertAliases(null, null);
    }

    @Test
    void theCanaryGivesCandidateAndPromotionMovesChampionAndClearsCandidate() {
        String v1 = register("run-a").version();
        settle(v1, VersionLifecycle.IN_CANARY);
        assertAliases(null, v1);
        assertEquals("IN_CANARY", lifecycleTag(v1));

        settle(v1, VersionLifecycle.CHAMPION);
        settle(v1, VersionLifecycle.CHAMPION); // a retried activity changes nothing
        assertAliases(v1, null);
        assertEquals("CHAMPION", lifecycleTag(v1));
        assertTrue(tags(registry.version(modelName, v1).orElseThrow()).get("rankops.lifecycle_reason").contains("(run run-a)"));

        String v2 = register("run-b").version();
        settle(v2, VersionLifecycle.CHAMPION); // approval without a canary
        assertAliases(v2, null);
        assertEquals("RETIRED", lifecycleTag(v1));
        assertEquals("CHAMPION", lifecycleTag(v2));
    }

    @Test
    void everyWithdrawnOutcomeLeavesNoAliasAndTheChampionUntouched() {
        String champion = register("run-champion").version();
        settle(champion, VersionLifecycle.CHAMPION);
        for (VersionLifecycle outcome : new VersionLifecycle[] {VersionLifecycle.ROLLED_BACK, VersionLifecycle.ABORTED,
            VersionLifecycle.REJECTED, VersionLifecycle.EXPIRED, VersionLifecycle.CANCELLED}) {
            String version = register("run-" + outcome).version();
            if (outcome == VersionLifecycle.ROLLED_BACK || outcome == VersionLifecycle.ABORTED
                    || outcome == VersionLifecycle.CANCELLED) {
                settle(version, VersionLifecycle.IN_CANARY);
                assertAliases(champion, version);
            }

            settle(version, outcome);

            assertAliases(champion, null);
            assertEquals(outcome.name(), lifecycleTag(version));
        }
    }

    @Test
    void theChampionCannotBeWithdrawnAndAnUnknownVersionCannotBeSettled() {
        String champion = register("run-a").version();
        settle(champion, VersionLifecycle.CHAMPION);

        ApplicationFailure refused = assertThrows(ApplicationFailure.class, () -> settle(champion, VersionLifecycle.REJECTED));
        assertEquals("BadRegistrationRequest", refused.getType());
        assertTrue(refused.isNonRetryable());
        assertAliases(champion, null);

        ApplicationFailure unknown = assertThrows(ApplicationFailure.class, () -> settle("99", VersionLifecycle.CHAMPION));
        assertTrue(unknown.getOriginalMessage().contains("no version 99"), unknown.getOriginalMessage());

        // Another run's version (a recreated model reuses numbers) is never settled by this one.
        String other = register("run-other").version();
        ApplicationFailure foreign = assertThrows(ApplicationFailure.class, () -> activities.settle(
                new VersionSettlement(modelName, other, "run-stale", VersionLifecycle.CHAMPION, "stale")));
        assertTrue(foreign.getOriginalMessage().contains("registered by run run-other"), foreign.getOriginalMessage());
        assertAliases(champion, null);
    }

    @Test
    void closingATrainingRunEndsItWithItsStatusFoundByRunIdTag() {
        MlflowClient client = registry.client();
        String experiment = client.getExperimentByName(RegistryNames.TRAINING_EXPERIMENT)
                .map(org.mlflow.api.proto.Service.Experiment::getExperimentId)
                .orElseGet(() -> client.createExperiment(RegistryNames.TRAINING_EXPERIMENT));
        String runId = "run-close-" + UUID.randomUUID();
        String mlflowRunId = client.createRun(org.mlflow.api.proto.Service.CreateRun.newBuilder()
                .setExperimentId(experiment).addTags(org.mlflow.api.proto.Service.RunTag.newBuilder()
                        .setKey(RegistryNames.RUN_ID_TAG).setValue(runId)).build()).getRunId();
        assertEquals(RunStatus.RUNNING, client.getRun(mlflowRunId).getInfo().getStatus());

        activities.closeTrainingRun(new TrainingRunClosure(runId, null, TrainingRunClosure.Status.KILLED, "cancelled"));

        org.mlflow.api.proto.Service.Run run = client.getRun(mlflowRunId);
        assertEquals(RunStatus.KILLED, run.getInfo().getStatus());
        assertTrue(run.getData().getTagsList().stream()
                .anyMatch(t -> t.getKey().equals(RegistryNames.OUTCOME_TAG) && t.getValue().equals("cancelled")));

        // Known id, and a run that never existed: the first ends it, the second does nothing.
        activities.closeTrainingRun(new TrainingRunClosure(runId, mlflowRunId, TrainingRunClosure.Status.FINISHED, "promoted"));
        assertEquals(RunStatus.FINISHED, client.getRun(mlflowRunId).getInfo().getStatus());
        activities.closeTrainingRun(new TrainingRunClosure("run-never-" + UUID.randomUUID(), null,
                TrainingRunClosure.Status.FAILED, "failed"));
    }

    private RegisteredVersion register(String runId) {
        return activities.register(
                new RegistrationRequest(runId, modelName, onnxUri, null, "ds-1", "mmoe", Map.of(), onnxSha256));
    }

    /** Settles as the run that registered the version (the check below refuses any other). */
    private void settle(String version, VersionLifecycle stage) {
        String runId = registry.version(modelName, version).map(v -> tags(v).get("rankops.run_id")).orElse("run-a");
        activities.settle(new VersionSettlement(modelName, version, runId, stage, "test"));
    }

    private void assertAliases(String champion, String candidate) {
        assertEquals(Optional.ofNullable(champion), lifecycle.aliasVersion(modelName, "champion"), "champion");
        assertEquals(Optional.ofNullable(candidate), lifecycle.aliasVersion(modelName, "candidate"), "candidate");
    }

    private String lifecycleTag(String version) {
        return tags(registry.version(modelName, version).orElseThrow()).get("rankops.lifecycle");
    }

    @Test
    void findChampionIsNullUntilTheAliasExists() {
        assertNull(activities.findChampion(modelName), "unknown model");
        RegisteredVersion registered = activities.register(
                new RegistrationRequest("run-a", modelName, onnxUri, null, "ds-1", "ple", Map.of(), null));
        assertNull(activities.findChampion(modelName), "model without champion alias");

        settle(registered.version(), VersionLifecycle.CHAMPION);

        assertEquals(new RegisteredVersion(modelName, registered.version(), "champion", onnxUri),
                activities.findChampion(modelName));
    }

    @Test
    void missingOnnxObjectIsABadModelArtifactAndRegistersNothing() {
        String missing = "s3://" + store.bucket() + "/" + modelsPrefix + "missing.onnx";

        ApplicationFailure failure = assertThrows(ApplicationFailure.class, () -> activities.register(
                new RegistrationRequest("run-a", modelName, missing, null, "ds-1", "ple", Map.of(), null)));

        assertEquals("BadModelArtifact", failure.getType());
        assertTrue(failure.isNonRetryable());
        assertTrue(failure.getOriginalMessage().contains(missing), failure.getOriginalMessage());
        assertTrue(registry.registeredModel(modelName).isEmpty(), "nothing half-written in the registry");
    }

    @Test
    void corruptedOnnxObjectIsABadModelArtifact() {
        String key = modelsPrefix + "corrupted.onnx";
        store.put(key, "<html>502 Bad Gateway</html>".getBytes(StandardCharsets.UTF_8), "application/octet-stream");

        ApplicationFailure failure = assertThrows(ApplicationFailure.class, () -> activities.register(
                new RegistrationRequest("run-a", modelName, "s3://" + store.bucket() + "/" + key, null, "ds-1", "ple",
                        Map.of(), null)));

        assertEquals("BadModelArtifact", failure.getType());
        assertTrue(failure.isNonRetryable());
    }

    @Test
    void anArtifactChangedAfterTrainingIsRefusedByItsDigestAndRegistersNothing() {
        // Still a well-formed model, so only the digest training reported can tell.
        byte[] tampered = OnnxBytes.minimalModel();
        tampered[tampered.length - 1] ^= 0x01;
        String key = modelsPrefix + "model.onnx";
        store.put(key, tampered, "application/octet-stream");
        assertNull(structuralProblem(tampered), "the tampered file still walks as a ModelProto");

        ApplicationFailure failure = assertThrows(ApplicationFailure.class, () -> activities.register(
                new RegistrationRequest("run-a", modelName, onnxUri, null, "ds-1", "ple", Map.of(), onnxSha256)));

        assertEquals("BadModelArtifact", failure.getType());
        assertTrue(failure.isNonRetryable());
        assertTrue(failure.getOriginalMessage().contains(onnxUri), failure.getOriginalMessage());
        assertTrue(failure.getOriginalMessage().contains(onnxSha256), failure.getOriginalMessage());
        assertTrue(registry.registeredModel(modelName).isEmpty(), "nothing half-written in the registry");
    }

    @Test
    void theDigestIsCheckedCaseInsensitivelyAndTaggedOnTheVersion() {
        RegisteredVersion registered = activities.register(new RegistrationRequest("run-a", modelName, onnxUri, null,
                "ds-1", "ple", Map.of(), onnxSha256.toUpperCase()));

        Map<String, String> tags = tags(registry.version(modelName, registered.version()).orElseThrow());
        assertEquals(onnxSha256, tags.get("rankops.onnx_sha256"));
    }

    private static String structuralProblem(byte[] model) {
        try {
            return OnnxArtifactCheck.modelProtoProblem(new java.io.ByteArrayInputStream(model));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> tags(JsonNode version) {
        Map<String, String> tags = new HashMap<>();
        StreamSupport.stream(version.path("tags").spliterator(), false)
                .forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
        return tags;
    }
}
