package io.rankops.worker.rollout;

import io.rankops.platform.ranker.ArmMetricsView;
import io.rankops.platform.ranker.TrafficView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The ranker's admin and metrics endpoints (services/ranker/README.md), over the DTOs the ranker
 * publishes in the platform module. The URL is {@code quarkus.rest-client.ranker.url}; every call
 * carries the worker's admin credential.
 */
@RegisterRestClient(configKey = "ranker")
@ClientHeaderParam(name = "Authorization", value = "{io.rankops.worker.rollout.RankerCredential.basic}")
@Produces(MediaType.APPLICATION_JSON)
public interface RankerAdminClient {

    @PUT
    @Path("/admin/traffic")
    @Consumes(MediaType.APPLICATION_JSON)
    TrafficView setTraffic(TrafficView traffic);

    @POST
    @Path("/admin/models/reload")
    void reloadModels();

    @GET
    @Path("/v1/arms/metrics")
    ArmMetricsView armMetrics();
}
