package io.rankops.workflows.pipeline.activities;

import io.rankops.workflows.pipeline.records.StepEvent;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Keeps the run ledger (services/api, queue {@code run-ledger}) in step with the workflow. */
@ActivityInterface
public interface RunRecordActivities {

    @ActivityMethod(name = "record_step")
    void record(StepEvent event);
}
