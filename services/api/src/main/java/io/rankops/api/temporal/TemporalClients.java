package io.rankops.api.temporal;

import io.quarkus.runtime.Startup;
import io.rankops.platform.temporal.TemporalStubs;
import io.rankops.workflows.TemporalConnection;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** The API's connection to Temporal: it starts workflows and reads their state, it runs none. */
public class TemporalClients {

    private static final Logger LOG = Logger.getLogger(TemporalClients.class);

    /** At startup, so a missing certificate or an API key without TLS stops the API before it serves. */
    @Produces
    @Singleton
    @Startup
    WorkflowServiceStubs serviceStubs(TemporalSettings settings) {
        WorkflowServiceStubs stubs = TemporalStubs.connect(settings);
        LOG.infof("Temporal at %s (namespace %s): %s", settings.target(), settings.namespace(),
                TemporalStubs.describeSecurity(settings));
        return stubs;
    }

    @Produces
    @Singleton
    WorkflowClient workflowClient(WorkflowServiceStubs service, TemporalSettings settings) {
        return TemporalConnection.client(service, settings.namespace());
    }

    void close(@Disposes WorkflowServiceStubs service) {
        service.shutdown();
    }
}
