package io.rankops.workflows.probe;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Served by services/worker on the "pipeline" task queue. */
@ActivityInterface
public interface PipelineProbeActivities {

    @ActivityMethod(name = "describe_pipeline_worker")
    WorkerInfo describeWorker(String probeId);
}
