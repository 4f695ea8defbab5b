package io.rankops.worker.temporal;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.ActivityCompletionException;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Turns an unexpected activity exception (MinIO, MLflow or PostgreSQL unreachable) into a compact,
 * still retryable {@link ApplicationFailure}: its message names every cause in the chain, its
 * stack trace keeps the first frames, and no cause chain is attached.
 *
 * <p>Why: Temporal keeps a retried activity's last failure in the workflow's mutable state only up
 * to a few KB (dynamic config {@code limit.mutableStateActivityFailureSize}); a full Java chain
 * (client exception, OkHttp / Apache HTTP causes, suppressed exceptions, all with stack traces)
 * is larger, and the Temporal UI then shows "Failure exceeds size limit." instead of why the
 * attempt failed — found by the reliability suite with MinIO and MLflow stopped. The full chain
 * still goes to the worker's log. Failures the code raised on purpose (ApplicationFailure, e.g.
 * {@code BadModelArtifact}) and cancellations pass through unchanged; the failure type stays the
 * exception's class name, as Temporal would have named it, so retry policies see no difference.
 */
public class CompactActivityFailures extends WorkerInterceptorBase {

    private static final Logger LOG = Logger.getLogger(CompactActivityFailures.class);
    /** Well under the few KB Temporal retains per pending activity failure. */
    static final int MAX_MESSAGE_CHARS = 1000;
    static final int MAX_FRAMES = 8;

    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
        return new ActivityInboundCallsInterceptorBase(next) {
            @Override
            public ActivityOutput execute(ActivityInput input) {
                try {
                    return super.execute(input);
                } catch (TemporalFailure | ActivityCompletionException | Error passThrough) {
                    throw passThrough;
                } catch (RuntimeException unexpected) {
                    LOG.warnf(unexpected, "activity %s failed, will be retried per its policy", describeActivity());
                    throw compact(unexpected);
                }
            }
        };
    }

    /** The retryable failure Temporal records for {@code e}: one message for the whole chain. */
    static ApplicationFailure compact(Throwable e) {
        ApplicationFailure failure = ApplicationFailure.newFailure(summary(e), e.getClass().getName());
        StackTraceElement[] frames = e.getStackTrace();
        failure.setStackTrace(Arrays.copyOf(frames, Math.min(frames.length, MAX_FRAMES)));
        return failure;
    }

    /** "Outer: message <- Cause: message <- ...", each cause once, capped at MAX_MESSAGE_CHARS. */
    static String summary(Throwable e) {
        StringBuilder text = new StringBuilder();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = e; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return text.length() <= MAX_MESSAGE_CHARS ? text.toString()
                : text.substring(0, MAX_MESSAGE_CHARS - 1) + "…";
    }

    private static String describeActivity() {
        try {
            ActivityInfo info = Activity.getExecutionContext().getInfo();
            return info.getActivityType() + " (workflow " + info.getWorkflowId() + ", attempt " + info.getAttempt() + ")";
        } catch (RuntimeException outsideAnActivity) {
            return "(unknown)";
        }
    }
}
