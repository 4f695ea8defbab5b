package io.rankops.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Named timeouts and retry policies for every activity, so a workflow never carries a literal
 * and docs/architecture.md can list them in one place.
 */
public final class ActivityPolicies {

    /**
     * Health probes answer from memory; a short schedule-to-close keeps a probe from waiting
     * on a worker that is down, which is exactly what the probe is meant to reveal.
     */
    public static ActivityOptions probe(String taskQueue) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(taskQueue)
                .setScheduleToCloseTimeout(Duration.ofSeconds(30))
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setBackoffCoefficient(2.0)
                        .setMaximumAttempts(5)
                        .build())
                .build();
    }

    /** Data problems are not fixed by retrying: these failure types end the run at once. */
    public static final String BAD_EVENT_DATA = "BadEventData";
    public static final String BAD_MODEL_ARTIFACT = "BadModelArtifact";
    public static final String BAD_TRAINING_CONFIG = "BadTrainingConfig";

    /**
     * Extraction reads and writes object storage: retries ride out a MinIO restart (backoff
     * capped at 30 s for about ten minutes); heartbeats between files detect a dead worker.
     */
    public static ActivityOptions extraction() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.PIPELINE)
                .setStartToCloseTimeout(Duration.ofMinutes(30))
                .setHeartbeatTimeout(Duration.ofMinutes(2))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(2))
                        .setBackoffCoefficient(2.0)
                        .setMaximumInterval(Duration.ofSeconds(30))
                        .setMaximumAttempts(20)
                        .setDoNotRetry(BAD_EVENT_DATA)
                        .build())
                .build();
    }

    /**
     * Training can take hours on CPU; the heartbeat timeout, not start-to-close, notices a
     * killed trainer within two minutes, and the retry resumes from the last checkpoint.
     */
    public static ActivityOptions training() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.TRAINING)
                .setStartToCloseTimeout(Duration.ofHours(6))
                .setHeartbeatTimeout(Duration.ofMinutes(2))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(5))
                        .setBackoffCoefficient(2.0)
                        .setMaximumInterval(Duration.ofMinutes(1))
                        .setMaximumAttempts(5)
                        .setDoNotRetry(BAD_EVENT_DATA, BAD_TRAINING_CONFIG, BAD_MODEL_ARTIFACT)
                        .build())
                .build();
    }

    public static ActivityOptions evaluation() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.TRAINING)
                .setStartToCloseTimeout(Duration.ofHours(1))
                .setHeartbeatTimeout(Duration.ofMinutes(2))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(5))
                        .setBackoffCoefficient(2.0)
                        .setMaximumInterval(Duration.ofMinutes(1))
                        .setMaximumAttempts(5)
                        .setDoNotRetry(BAD_EVENT_DATA, BAD_MODEL_ARTIFACT)
                        .build())
                .build();
    }

    /** MLflow calls are short; retries ride out an MLflow restart for about ten minutes. */
    public static ActivityOptions registry() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.PIPELINE)
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(2))
                        .setBackoffCoefficient(2.0)
                        .setMaximumInterval(Duration.ofSeconds(30))
                        .setMaximumAttempts(25)
                        .setDoNotRetry(BAD_MODEL_ARTIFACT)
                        .build())
                .build();
    }

    /** A projection write must not fail a run: it retries for a long time, at a slow pace. */
    public static ActivityOptions records() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.PIPELINE)
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setBackoffCoefficient(2.0)
                        .setMaximumInterval(Duration.ofMinutes(1))
                        .setMaximumAttempts(100)
                        .build())
                .build();
    }

    /** Ranker admin calls and alias moves are quick; retries ride out a ranker or MLflow restart. */
    public static ActivityOptions rollout() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.PIPELINE)
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setBackoffCoefficient(2.0)
                        .setMaximumInterval(Duration.ofSeconds(30))
                        .setMaximumAttempts(30)
                        .build())
                .build();
    }

    private ActivityPolicies() {
    }
}
