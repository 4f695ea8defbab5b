package io.rankops.workflows.pipeline.activities;

import io.rankops.workflows.pipeline.records.RegisteredVersion;
import io.rankops.workflows.pipeline.records.RegistrationRequest;
import io.rankops.workflows.pipeline.records.TrainingRunClosure;
import io.rankops.workflows.pipeline.records.VersionSettlement;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The MLflow model registry and tracking runs, served by services/worker on the "pipeline" task queue. */
@ActivityInterface
public interface RegistryActivities {

    /** The version behind alias {@code champion}, or null when the model has none yet. */
    @ActivityMethod(name = "find_champion")
    RegisteredVersion findChampion(String modelName);

    /**
     * Creates the model version (source: the ONNX artifact) with lineage tags, tagged
     * {@link VersionLifecycle#AWAITING_APPROVAL} and given no alias: nothing serves it until a
     * release manager approves. Idempotent per run: a retry returns the version already made.
     */
    @ActivityMethod(name = "register_model")
    RegisteredVersion register(RegistrationRequest request);

    /** Moves the version to a lifecycle stage and its aliases with it; the ranker reloads. */
    @ActivityMethod(name = "settle_version")
    void settle(VersionSettlement settlement);

    /** Ends the run's MLflow training run with the status of the pipeline's outcome. Idempotent. */
    @ActivityMethod(name = "close_training_run")
    void closeTrainingRun(TrainingRunClosure closure);
}
