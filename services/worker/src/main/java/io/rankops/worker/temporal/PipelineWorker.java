package io.rankops.worker.temporal;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rankops.platform.temporal.TemporalStubs;
import io.rankops.worker.extraction.ExtractionActivitiesImpl;
import io.rankops.worker.probe.PipelineProbeActivitiesImpl;
import io.rankops.worker.registry.RegistryActivitiesImpl;
import io.rankops.worker.rollout.RolloutActivitiesImpl;
import io.rankops.workflows.TaskQueues;
import io.rankops.workflows.TemporalConnection;
import io.rankops.workflows.pipeline.TrainingPipelineWorkflowImpl;
import io.rankops.workflows.probe.HealthProbeWorkflowImpl;
import io.rankops.workflows.rollout.CanaryRolloutWorkflowImpl;
import io.rankops.workflows.schedule.ScheduledRunWorkflowImpl;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Polls the "pipeline" task queue for workflow and Java activity tasks for the life of the app. */
@ApplicationScoped
public class PipelineWorker {

    private static final Logger LOG = Logger.getLogger(PipelineWorker.class);

    private final TemporalSettings settings;
    private final PipelineProbeActivitiesImpl probeActivities;
    private final ExtractionActivitiesImpl extractionActivities;
    private final RegistryActivitiesImpl registryActivities;
    private final RolloutActivitiesImpl rolloutActivities;
    private WorkflowServiceStubs service;
    private WorkerFactory factory;

    public PipelineWorker(TemporalSettings settings, PipelineProbeActivitiesImpl probeActivities,
            ExtractionActivitiesImpl extractionActivities, RegistryActivitiesImpl registryActivities,
            RolloutActivitiesImpl rolloutActivities) {
        this.settings = settings;
        this.probeActivities = probeActivities;
        this.extractionActivities = extractionActivities;
        this.registryActivities = registryActivities;
        this.rolloutActivities = rolloutActivities;
    }

    void start(@Observes StartupEvent event) {
        service = TemporalStubs.connect(settings);
        factory = WorkerFactory.newInstance(TemporalConnection.client(service, settings.namespace()),
                WorkerFactoryOptions.newBuilder().setWorkerInterceptors(new CompactActivityFailures()).build());
        Worker worker = factory.newWorker(TaskQueues.PIPELINE);
        worker.registerWorkflowImplementationTypes(HealthProbeWorkflowImpl.class, TrainingPipelineWorkflowImpl.class,
                CanaryRolloutWorkflowImpl.class, ScheduledRunWorkflowImpl.class);
        // Step events and scheduled runs go to the API's run-ledger queue: the worker has no database.
        worker.registerActivitiesImplementations(probeActivities, extractionActivities, registryActivities,
                rolloutActivities);
        factory.start();
        LOG.infof("polling task queue '%s' on %s (namespace %s, %s)",
                TaskQueues.PIPELINE, settings.target(), settings.namespace(), TemporalStubs.describeSecurity(settings));
    }

    void stop(@Observes ShutdownEvent event) {
        if (factory != null) {
            factory.shutdown();
        }
        if (service != null) {
            service.shutdown();
        }
    }

    public boolean isPolling() {
        return factory != null && factory.isStarted() && !factory.isShutdown();
    }

    /** A cheap round trip to the frontend; false when Temporal is unreachable. */
    public boolean serverReachable() {
        try {
            service.healthCheck();
            return true;
        } catch (RuntimeException unreachable) {
            return false;
        }
    }
}
