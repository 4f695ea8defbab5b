package io.rankops.api.approvals;

import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import io.quarkus.security.identity.SecurityIdentity;
import io.rankops.api.input.StrictJson;
import io.rankops.api.security.Roles;
import io.rankops.workflows.pipeline.PipelineStatus;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A release manager's decision on a run; it lives with approvals, which read runs and never the reverse. */
@Path("/api/runs/{id}/decision")
@Produces(MediaType.APPLICATION_JSON)
@CustomDeserialization(StrictJson.class)
public class DecisionResource {

    private final ApprovalService approvals;
    private final SecurityIdentity identity;

    public DecisionResource(ApprovalService approvals, SecurityIdentity identity) {
        this.approvals = approvals;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMIN})
    public PipelineStatus decide(@PathParam("id") String id, @Valid @NotNull DecisionRequest body) {
        return approvals.decide(id, identity.getPrincipal().getName(), body);
    }
}
