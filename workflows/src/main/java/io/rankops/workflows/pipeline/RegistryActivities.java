package io.rankops.workflows.pipeline;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The MLflow model registry, served by services/worker on the "pipeline" task queue. */
@ActivityInterface
public interface RegistryActivities {

    /** The version behind alias {@code champion}, or null when the model has none yet. */
    @ActivityMethod(name = "find_champion")
    RegisteredVersion findChampion(String modelName);

    /**
     * Creates the model version (source: the ONNX artifact) with lineage tags and points alias
     * {@code candidate} at it. Idempotent per run: a retry returns the version already made.
     */
    @ActivityMethod(name = "register_model")
    RegisteredVersion register(RegistrationRequest request);
}
