package io.rankops.api.models;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.rankops.api.registry.ModelRegistry;
import io.rankops.api.support.TestAccounts;
import io.rankops.api.support.TestMlflow;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mlflow.tracking.MlflowClient;

/** Versions, aliases and lineage tags come from the running MLflow server. */
@QuarkusTest
class ModelVersionsTest {

    @Inject
    TestAccounts accounts;
    @Inject
    ModelRegistry registry;

    @Test
    void listsVersionsNewestFirstWithAliasesAndLineage() {
        String model = "it-versions-" + UUID.randomUUID();
        registry.ensureRegisteredModel(model, "versions test");
        MlflowClient mlflow = TestMlflow.client(registry.trackingUri());
        for (String run : new String[] {"run-first", "run-second"}) {
            mlflow.sendPost("model-versions/create", """
                    {"name": "%s", "source": "s3://rankops/models/%s/model.onnx",
                     "tags": [{"key": "rankops.run_id", "value": "%s"}, {"key": "rankops.dataset_id", "value": "ds-%s"}]}"""
                    .formatted(model, run, run, run));
        }
        mlflow.sendPost("registered-models/alias", """
                {"name": "%s", "alias": "candidate", "version": "2"}""".formatted(model));

        accounts.as(TestAccounts.RELEASE_MANAGER).when().get("/api/models/" + model + "/versions")
                .then().statusCode(200)
                .body("name", equalTo(model))
                .body("aliases.candidate", equalTo("2"))
                .body("versions.version", contains("2", "1"))
                .body("versions[0].aliases", contains("candidate"))
                .body("versions[0].runId", equalTo("run-second"))
                .body("versions[1].datasetId", equalTo("ds-run-first"));
    }
}
