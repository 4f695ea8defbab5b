package io.rankops.workflows.pipeline.activities;

import io.rankops.workflows.pipeline.records.DatasetManifest;
import io.rankops.workflows.pipeline.records.ExtractionRequest;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Served by services/worker on the "pipeline" task queue. */
@ActivityInterface
public interface ExtractionActivities {

    /**
     * Idempotent: the same partitions give the same dataset id, and a retry finds the dataset
     * already written instead of writing it twice. Bad data fails non-retryably with type
     * {@code BadEventData}, naming the file and the column.
     */
    @ActivityMethod(name = "extract_dataset")
    DatasetManifest extract(ExtractionRequest request);
}
