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

    private ActivityPolicies() {
    }
}
