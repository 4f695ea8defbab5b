package io.rankops.worker.extraction;

import io.rankops.platform.storage.ObjectStore;
import io.rankops.workflows.pipeline.activities.ExtractionActivities;
import io.rankops.workflows.pipeline.records.DatasetManifest;
import io.rankops.workflows.pipeline.records.ExtractionRequest;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Temporal adapter over {@link DatasetExtractor}: progress becomes heartbeats, rejected data a
 * non-retryable failure. Anything else (MinIO down, disk full) propagates and is retried.
 */
@ApplicationScoped
public class ExtractionActivitiesImpl implements ExtractionActivities {

    private final DatasetExtractor extractor;

    @Inject
    public ExtractionActivitiesImpl(ObjectStore store, ExtractionSettings settings) {
        this(new DatasetExtractor(store, settings.eventsPrefix(), settings.datasetsPrefix()));
    }

    public ExtractionActivitiesImpl(DatasetExtractor extractor) {
        this.extractor = extractor;
    }

    @Override
    public DatasetManifest extract(ExtractionRequest request) {
        try {
            return extractor.extract(request, detail -> Activity.getExecutionContext().heartbeat(detail));
        } catch (ExtractionRejectedException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), e.failureType());
        }
    }
}
