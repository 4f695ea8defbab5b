package io.rankops.workflows.pipeline.activities;

import io.rankops.workflows.pipeline.records.EvaluationReport;
import io.rankops.workflows.pipeline.records.EvaluationRequest;
import io.rankops.workflows.pipeline.records.TrainingRequest;
import io.rankops.workflows.pipeline.records.TrainingResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Served by the Python trainer (services/trainer) on the "training" task queue. */
@ActivityInterface
public interface TrainingActivities {

    /** Heartbeats carry progress; a retried attempt resumes from the run's last checkpoint. */
    @ActivityMethod(name = "train_model")
    TrainingResult train(TrainingRequest request);

    /** Scores the exported ONNX artifact (and the champion's) on the dataset's test split. */
    @ActivityMethod(name = "evaluate_model")
    EvaluationReport evaluate(EvaluationRequest request);
}
