package io.rankops.workflows;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;

/**
 * The client every Java service builds on its stubs (which platform's TemporalStubs makes, with TLS
 * and API keys as configured).
 */
public final class TemporalConnection {

    public static WorkflowClient client(WorkflowServiceStubs service, String namespace) {
        return WorkflowClient.newInstance(service,
                WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
    }

    private TemporalConnection() {
    }
}
