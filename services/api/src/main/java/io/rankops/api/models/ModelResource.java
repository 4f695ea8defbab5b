package io.rankops.api.models;

import io.rankops.api.errors.ApiException;
import io.rankops.api.registry.ModelRegistry;
import io.rankops.api.registry.ModelVersions;
import io.rankops.api.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    private final ModelRegistry registry;

    public ModelResource(ModelRegistry registry) {
        this.registry = registry;
    }

    /** A registered model's versions, newest first, with aliases and lineage from MLflow. */
    @GET
    @Path("/{name}/versions")
    @RolesAllowed({Roles.ML_ENGINEER, Roles.RELEASE_MANAGER, Roles.ADMIN})
    public ModelVersions versions(@PathParam("name") String name) {
        return registry.versions(name).orElseThrow(() -> ApiException.notFound("registered model", name));
    }
}
