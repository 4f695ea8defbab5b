package io.rankops.workflows;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;

/** One way for every Java service to reach the Temporal frontend. */
public final class TemporalConnection {

    public static WorkflowServiceStubs connect(String target) {
        return WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    }

    public static WorkflowClient client(WorkflowServiceStubs service, String namespace) {
        return WorkflowClient.newInstance(service,
                WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
    }

    private TemporalConnection() {
    }
}
