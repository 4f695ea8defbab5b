package io.rankops.workflows.schedule;

import io.rankops.workflows.pipeline.PipelineRequest;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** What a scheduled run needs outside Temporal before it starts. Served by the run ledger in services/api. */
@ActivityInterface
public interface ScheduledRunActivities {

    /**
     * Inserts the run's pipeline_run row (trigger "schedule") and its "run.start" audit entry, as
     * POST /api/runs does for a person's run, so scheduled runs are listed, approved and cancelled
     * like any other. Idempotent by run id: a row that exists is left as it is.
     */
    @ActivityMethod(name = "open_scheduled_run")
    void openRun(PipelineRequest run);
}
