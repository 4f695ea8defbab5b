package io.rankops.api.schedules;

import io.rankops.api.temporal.TemporalSettings;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Temporal's schedule client, on the API's one connection to the frontend. */
public class ScheduleClients {

    @Produces
    @Singleton
    ScheduleClient scheduleClient(WorkflowServiceStubs service, TemporalSettings settings) {
        return ScheduleClient.newInstance(service,
                ScheduleClientOptions.newBuilder().setNamespace(settings.namespace()).build());
    }
}
