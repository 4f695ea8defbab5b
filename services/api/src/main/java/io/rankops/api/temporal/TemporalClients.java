package io.rankops.api.temporal;

import io.rankops.workflows.TemporalConnection;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The API's connection to Temporal: it starts workflows and reads their state, it runs none. */
public class TemporalClients {

    @Produces
    @Singleton
    WorkflowServiceStubs serviceStubs(TemporalSettings settings) {
        return TemporalConnection.connect(settings.target());
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
