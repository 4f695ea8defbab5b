package io.rankops.api.policy;

import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import io.quarkus.security.identity.SecurityIdentity;
import io.rankops.api.input.StrictJson;
import io.rankops.api.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The platform's policy floor: everyone may read it, only an admin changes it (audited). */
@Path("/api/policy")
@CustomDeserialization(StrictJson.class)
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {

    private final PlatformPolicy policy;
    private final SecurityIdentity identity;

    public PolicyResource(PlatformPolicy policy, SecurityIdentity identity) {
        this.policy = policy;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({Roles.ML_ENGINEER, Roles.RELEASE_MANAGER, Roles.ADMIN})
    @Operation(summary = "The policy floor in force", description = "The loosest gate and canary a run may ask for.")
    public PolicyView get() {
        return policy.current();
    }

    @PUT
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the policy floor", description = "Admins only; audited as policy.update. Runs already "
            + "waiting for approval are held to the new floor when approved.")
    public PolicyView put(@Valid @NotNull PolicyFloor floor) {
        return policy.update(floor, identity.getPrincipal().getName());
    }
}
