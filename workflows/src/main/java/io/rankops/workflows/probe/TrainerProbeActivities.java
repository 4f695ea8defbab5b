package io.rankops.workflows.probe;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Served by the Python trainer (services/trainer) on the "training" task queue. */
@ActivityInterface
public interface TrainerProbeActivities {

    @ActivityMethod(name = "describe_trainer")
    WorkerInfo describeTrainer(String probeId);
}
