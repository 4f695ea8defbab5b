package io.rankops.api.runs;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rankops.workflows.TaskQueues;
import io.rankops.workflows.pipeline.activities.DecisionActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Polls task queue {@code run-ledger} for the life of the API, so the workflows write runs through
 * the API's own code and confirm decisions with it (the decision activities live in approvals). Off in tests that talk to the stack's Temporal, where it would take the
 * stack's events into the test database.
 */
@ApplicationScoped
public class LedgerWorker {

    private static final Logger LOG = Logger.getLogger(LedgerWorker.class);

    private final WorkflowClient client;
    private final LedgerActivities activities;
    private final DecisionActivities decisions;
    private final boolean enabled;
    private WorkerFactory factory;

    public LedgerWorker(WorkflowClient client, LedgerActivities activities, DecisionActivities decisions,
            @ConfigProperty(name = "rankops.ledger.poll", defaultValue = "true") boolean enabled) {
        this.client = client;
        this.activities = activities;
        this.decisions = decisions;
        this.enabled = enabled;
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.info("run ledger: not polling (rankops.ledger.poll=false)");
            return;
        }
        factory = WorkerFactory.newInstance(client);
        factory.newWorker(TaskQueues.LEDGER).registerActivitiesImplementations(activities, decisions);
        factory.start();
        LOG.infof("run ledger: polling task queue '%s'", TaskQueues.LEDGER);
    }

    void stop(@Observes ShutdownEvent event) {
        if (factory != null) {
            factory.shutdown();
        }
    }

    public boolean isPolling() {
        return factory != null && factory.isStarted() && !factory.isShutdown();
    }
}
