package io.rankops.workflows;

import static io.rankops.platform.names.FailureTypes.BAD_EVENT_DATA;
import static io.rankops.platform.names.FailureTypes.BAD_MODEL_ARTIFACT;
import static io.rankops.platform.names.FailureTypes.BAD_TRAINING_CONFIG;
import static io.rankops.platform.names.FailureTypes.UNCONFIRMED_DECISION;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Named timeouts and retry policies for every activity, so a workflow never carries a literal
 * and docs/architecture.md can list them in one place. Data problems are not fixed by retrying:
 * the failure types of {@link io.rankops.platform.names.FailureTypes} end the run at once.
 */
public final class ActivityPolicies {


    /**
     * How long an activity on the "training" queue may go without a heartbeat before Temporal
     * counts its worker as dead and retries it elsewhere. The trainer heartbeats at least every
     * 10 s (KEEPALIVE_SECONDS in rankops_trainer.activities), also through slow downloads and the
     * ONNX export, so 45 s tolerates a few missed beats while a killed trainer costs under a minute.
     */
    static final Duration TRAINER_HEARTBEAT = Duration.ofSeconds(45);
    /** Extraction (the Java worker) heartbeats between files. */
    static final Duration EXTRACTION_HEARTBEAT = Duration.ofMinutes(2);

    /**
     * Health probes answer from memory; a short schedule-to-close keeps a probe from waiting
     * on a worker that is down, which is exactly what the probe is meant to reveal.
     */
    public static ActivityOptions probe(String taskQueue) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(taskQueue)
                .setScheduleToCloseTimeout(Duration.ofSeconds(30))
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setRetryOptions(retries(Duration.ofSeconds(1), Duration.ofSeconds(100), 5))
                .build();
    }

    /**
     * Extraction reads and writes object storage: retries ride out a MinIO restart (backoff
     * capped at 30 s for about ten minutes); heartbeats between files detect a dead worker.
     */
    public static ActivityOptions extraction() {
        return withHeartbeat(TaskQueues.PIPELINE, Duration.ofMinutes(30), EXTRACTION_HEARTBEAT,
                retries(Duration.ofSeconds(2), Duration.ofSeconds(30), 20, BAD_EVENT_DATA));
    }

    /**
     * Training can take hours on CPU; the heartbeat timeout, not start-to-close, notices a
     * killed trainer within {@link #TRAINER_HEARTBEAT}, and the retry resumes from the last checkpoint.
     */
    public static ActivityOptions training() {
        return withHeartbeat(TaskQueues.TRAINING, Duration.ofHours(6), TRAINER_HEARTBEAT, retries(Duration.ofSeconds(5),
                Duration.ofMinutes(1), 5, BAD_EVENT_DATA, BAD_TRAINING_CONFIG, BAD_MODEL_ARTIFACT));
    }

    /** Scoring the candidate and the champion; the same heartbeat as training (same worker). */
    public static ActivityOptions evaluation() {
        return withHeartbeat(TaskQueues.TRAINING, Duration.ofHours(1), TRAINER_HEARTBEAT,
                retries(Duration.ofSeconds(5), Duration.ofMinutes(1), 5, BAD_EVENT_DATA, BAD_MODEL_ARTIFACT));
    }

    /** MLflow calls are short; retries ride out an MLflow restart for about ten minutes. */
    public static ActivityOptions registry() {
        return quick(Duration.ofMinutes(2), retries(Duration.ofSeconds(2), Duration.ofSeconds(30), 25,
                BAD_MODEL_ARTIFACT));
    }

    /** A projection write must not fail a run: it retries for a long time, at a slow pace. */
    public static ActivityOptions records() {
        return ActivityOptions.newBuilder(quick(Duration.ofSeconds(30), retries(Duration.ofSeconds(1), Duration.ofMinutes(1), 100)))
                .setTaskQueue(TaskQueues.LEDGER)
                .build();
    }

    /** The API confirms a decision while the update waits: quick, and refused for good when unknown. */
    public static ActivityOptions decisions() {
        return ActivityOptions.newBuilder(quick(Duration.ofSeconds(10), retries(Duration.ofSeconds(1), Duration.ofSeconds(5), 3, UNCONFIRMED_DECISION)))
                .setTaskQueue(TaskQueues.LEDGER)
                .build();
    }

    /** Ranker admin calls and alias moves are quick; retries ride out a ranker or MLflow restart. */
    public static ActivityOptions rollout() {
        return quick(Duration.ofSeconds(30), retries(Duration.ofSeconds(1), Duration.ofSeconds(30), 30));
    }

    private static ActivityOptions withHeartbeat(String taskQueue, Duration startToClose, Duration heartbeat,
            RetryOptions retry) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(taskQueue)
                .setStartToCloseTimeout(startToClose)
                .setHeartbeatTimeout(heartbeat)
                .setRetryOptions(retry)
                .build();
    }

    private static ActivityOptions quick(Duration startToClose, RetryOptions retry) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.PIPELINE)
                .setStartToCloseTimeout(startToClose)
                .setRetryOptions(retry)
                .build();
    }

    /** Exponential backoff (factor 2) from {@code initial}, capped at {@code maxInterval}. */
    private static RetryOptions retries(Duration initial, Duration maxInterval, int maxAttempts, String... finalTypes) {
        return RetryOptions.newBuilder()
                .setInitialInterval(initial)
                .setBackoffCoefficient(2.0)
                .setMaximumInterval(maxInterval)
                .setMaximumAttempts(maxAttempts)
                .setDoNotRetry(finalTypes)
                .build();
    }

    private ActivityPolicies() {
    }
}
