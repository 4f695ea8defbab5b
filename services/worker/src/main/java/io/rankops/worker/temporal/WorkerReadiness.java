package io.rankops.worker.temporal;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready means: the worker polls, and the Temporal frontend answers. */
@Readiness
@ApplicationScoped
public class WorkerReadiness implements HealthCheck {

    private final PipelineWorker worker;
    private final TemporalSettings settings;

    public WorkerReadiness(PipelineWorker worker, TemporalSettings settings) {
        this.worker = worker;
        this.settings = settings;
    }

    @Override
    public HealthCheckResponse call() {
        boolean reachable = worker.serverReachable();
        return HealthCheckResponse.named("temporal-worker")
                .status(worker.isPolling() && reachable)
                .withData("target", settings.target())
                .withData("polling", worker.isPolling())
                .withData("serverReachable", reachable)
                .build();
    }
}
