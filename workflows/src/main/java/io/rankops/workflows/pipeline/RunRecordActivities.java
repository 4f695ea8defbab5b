package io.rankops.workflows.pipeline;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Keeps the API's PostgreSQL projection of runs in step with the workflow. */
@ActivityInterface
public interface RunRecordActivities {

    @ActivityMethod(name = "record_step")
    void record(StepEvent event);
}
