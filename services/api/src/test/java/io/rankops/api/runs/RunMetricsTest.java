package io.rankops.api.runs;

import static io.rankops.api.support.TestAccounts.ENGINEER;
import static io.rankops.api.support.TestAccounts.RELEASE_MANAGER;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.rankops.api.registry.ModelRegistry;
import io.rankops.api.support.TestAccounts;
import io.rankops.api.support.TestMlflow;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mlflow.tracking.MlflowClient;

/** GET /api/runs/{id}/metrics reads the per-epoch history from the running MLflow server. */
@QuarkusTest
class RunMetricsTest {

    @Inject
    TestAccounts accounts;
    @Inject
    ModelRegistry registry;
    @Inject
    AgroalDataSource dataSource;

    private String insertRun() {
        String runId = "run-it-metrics-" + UUID.randomUUID().toString().substring(0, 8);
        sql("""
                INSERT INTO pipeline_run (id, model_name, model_family, window_start, window_end, parameters,
                    triggered_by, trigger, status)
                VALUES (?, 'ranker', 'resflow', DATE '2025-01-01', DATE '2025-01-14', '{}'::jsonb, 'it', 'api', 'RUNNING')""",
                runId);
        return runId;
    }

    private void recordTrainCompleted(String runId, String mlflowRunId) {
        sql("""
                INSERT INTO run_step_event (run_id, sequence, step, status, detail, occurred_at)
                VALUES (?, 1, 'train', 'completed', jsonb_build_object('mlflowRunId', ?::text), now())""",
                runId, mlflowRunId);
    }

    private void sql(String statement, String... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Logs what the trainer logs: each epoch's record at step = epoch, best_* and test_* once. */
    private static void logTraining(MlflowClient mlflow, String mlflowRunId) {
        long t = System.currentTimeMillis();
        double[] loss = {0.9, 0.7, 0.6};
        double[] wr = {0.30, 0.40, 0.38};
        for (int epoch = 1; epoch <= 3; epoch++) {
            mlflow.logMetric(mlflowRunId, "epoch", epoch, t + epoch, epoch);
            mlflow.logMetric(mlflowRunId, "train_loss", loss[epoch - 1], t + epoch, epoch);
            mlflow.logMetric(mlflowRunId, "val_wr_at_10", wr[epoch - 1], t + epoch, epoch);
        }
        // a retried attempt logs epoch 2 again, later: its value wins
        mlflow.logMetric(mlflowRunId, "train_loss", 0.65, t + 10, 2);
        mlflow.logMetric(mlflowRunId, "best_val_wr_at_10", 0.40, t + 11, 2);
        mlflow.logMetric(mlflowRunId, "test_wr_at_10", 0.41, t + 12, 0);
    }

    @Test
    void anUnknownRunIs404() {
        accounts.as(ENGINEER).when().get("/api/runs/run-absent-metrics/metrics")
                .then().statusCode(404)
                .body("status", equalTo(404))
                .body("detail", containsString("run-absent-metrics"));
    }

    @Test
    void aRunThatHasNotTrainedHasNoEpochs() {
        String runId = insertRun();
        accounts.as(RELEASE_MANAGER).when().get("/api/runs/" + runId + "/metrics")
                .then().statusCode(200)
                .body("mlflowRunId", nullValue())
                .body("epochs", empty());
    }

    @Test
    void readsTheTrainStepsMlflowRunOrderedByEpoch() {
        MlflowClient mlflow = TestMlflow.client(registry.trackingUri());
        String experiment = registry.ensureExperiment("it-run-metrics-" + UUID.randomUUID());
        String mlflowRunId = mlflow.createRun(experiment).getRunId();
        logTraining(mlflow, mlflowRunId);
        String runId = insertRun();
        recordTrainCompleted(runId, mlflowRunId);

        accounts.as(ENGINEER).when().get("/api/runs/" + runId + "/metrics")
                .then().statusCode(200)
                .body("mlflowRunId", equalTo(mlflowRunId))
                .body("epochs.epoch", contains(1, 2, 3))
                .body("epochs[0].metrics.train_loss", equalTo(0.9f))
                .body("epochs[1].metrics.train_loss", equalTo(0.65f))
                .body("epochs[1].metrics.val_wr_at_10", equalTo(0.40f))
                .body("epochs[2].metrics.val_wr_at_10", equalTo(0.38f))
                .body("epochs[1].metrics", not(hasKey("best_val_wr_at_10")))
                .body("epochs[1].metrics", not(hasKey("epoch")));
    }

    @Test
    void findsAnUnrecordedTrainingByItsRunIdTag() {
        MlflowClient mlflow = TestMlflow.client(registry.trackingUri());
        String experiment = registry.ensureExperiment(ModelRegistry.PIPELINE_EXPERIMENT);
        String runId = insertRun();
        String mlflowRunId = mlflow.createRun(experiment).getRunId();
        try {
            mlflow.setTag(mlflowRunId, io.rankops.platform.names.RegistryNames.RUN_ID_TAG, runId);
            accounts.as(ENGINEER).when().get("/api/runs/" + runId + "/metrics")
                    .then().statusCode(200)
                    .body("mlflowRunId", equalTo(mlflowRunId))
                    .body("epochs", empty());

            logTraining(mlflow, mlflowRunId);
            accounts.as(ENGINEER).when().get("/api/runs/" + runId + "/metrics")
                    .then().statusCode(200)
                    .body("mlflowRunId", equalTo(mlflowRunId))
                    .body("epochs.epoch", contains(1, 2, 3))
                    .body("epochs[2].metrics", not(anEmptyMap()))
                    .body("epochs[2].metrics.train_loss", equalTo(0.6f));
        } finally {
            mlflow.deleteRun(mlflowRunId); // keep the pipeline experiment free of test runs
        }
    }
}
