package io.rankops.ranker.serving;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Ends ONNX Runtime runs whose request's deadline has passed: one timer thread calls
 * {@code RunOptions.setTerminate(true)} at the deadline, and the run returns with an error the
 * ranker answers with the caller's order. A run that finishes first cancels its timer.
 */
@ApplicationScoped
public class Deadlines {

    private static final Logger LOG = Logger.getLogger(Deadlines.class);

    private final ScheduledThreadPoolExecutor timer;

    public Deadlines() {
        timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "rankops-rank-deadline");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    void onStop(@Observes ShutdownEvent stop) {
        timer.shutdownNow();
    }

    /** The deadline passed before the model scored the request. */
    public static final class Exceeded extends RuntimeException {
        Exceeded() {
            super("deadline passed", null, false, false);
        }
    }

    /** A run's options and its armed timer; closing disarms it before the options are freed. */
    public final class Guard implements AutoCloseable {
        private final OrtSession.RunOptions options;
        private final ScheduledFuture<?> future;
        private boolean closed;
        private volatile boolean fired;

        private Guard(long nanosLeft) throws OrtException {
            options = new OrtSession.RunOptions();
            future = timer.schedule(this::terminate, nanosLeft, TimeUnit.NANOSECONDS);
        }

        private synchronized void terminate() {
            if (closed) {
                return;
            }
            fired = true;
            try {
                options.setTerminate(true);
            } catch (OrtException e) {
                LOG.warnf("could not end an ONNX Runtime run at its deadline: %s", e.getMessage());
            }
        }

        public OrtSession.RunOptions options() {
            return options;
        }

        /** Whether the timer ended the run. */
        public boolean fired() {
            return fired;
        }

        @Override
        public void close() {
            future.cancel(false);
            synchronized (this) {
                closed = true;
                options.close();
            }
        }
    }

    /** Arms a timer for {@code nanosLeft} from now; the caller runs the model with {@link Guard#options()}. */
    public Guard arm(long nanosLeft) throws OrtException {
        return new Guard(nanosLeft);
    }
}
