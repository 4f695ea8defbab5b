package io.rankops.api.models;

import io.rankops.api.errors.ApiException;
import io.rankops.api.registry.ModelRegistry;
import io.rankops.api.registry.ModelVersions;
import io.rankops.api.security.Roles;
import io.rankops.platform.names.RegistryNames;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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
    public ModelVersions versions(@PathParam("name") @Size(max = 128)
            @Pattern(regexp = RegistryNames.MODEL_NAME_PATTERN, message = "letters, digits, '.', '_' and '-' only")
            String name) {
        return registry.versions(name).orElseThrow(() -> ApiException.notFound("registered model", name));
    }
}
