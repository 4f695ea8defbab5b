package io.rankops.api.rollouts;

import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import io.quarkus.security.identity.SecurityIdentity;
import io.rankops.api.input.StrictJson;
import io.rankops.api.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Status and controls of a run's canary rollout. */
@Path("/api/runs/{id}/rollout")
@Produces(MediaType.APPLICATION_JSON)
@CustomDeserialization(StrictJson.class)
public class RolloutResource {

    private final RolloutService rollouts;
    private final SecurityIdentity identity;

    public RolloutResource(RolloutService rollouts, SecurityIdentity identity) {
        this.rollouts = rollouts;
        this.identity = identity;
    }

    /** Traffic share, pause state and every step's decision with its numbers. */
    @GET
    @RolesAllowed({Roles.ML_ENGINEER, Roles.RELEASE_MANAGER, Roles.ADMIN})
    public RolloutView status(@PathParam("id") String id) {
        return RolloutView.of(rollouts.status(id));
    }

    @POST
    @Path("/{control: pause|resume|abort|promote}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMIN})
    public Response control(@PathParam("id") String id, @PathParam("control") String control,
            @Valid RolloutControl body) {
        RolloutService.Control which = RolloutService.Control.valueOf(control.toUpperCase());
        return Response.accepted(RolloutView.of(rollouts.control(id, which, body == null ? null : body.reason(),
                identity.getPrincipal().getName()))).build();
    }
}
