package io.rankops.api.schedules;

import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import io.quarkus.security.identity.SecurityIdentity;
import io.rankops.api.input.StrictJson;
import io.rankops.api.schedules.ScheduleViews.CommandAccepted;
import io.rankops.api.schedules.ScheduleViews.ScheduleView;
import io.rankops.api.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

@Path("/api/schedules")
@Produces(MediaType.APPLICATION_JSON)
@CustomDeserialization(StrictJson.class)
public class ScheduleResource {

    private final ScheduleService schedules;
    private final SecurityIdentity identity;

    public ScheduleResource(ScheduleService schedules, SecurityIdentity identity) {
        this.schedules = schedules;
        this.identity = identity;
    }

    /** The body is validated by the service, together with its run template, so one 400 names every bad field. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ML_ENGINEER, Roles.ADMIN})
    public Response create(@NotNull ScheduleRequest body) {
        ScheduleView schedule = schedules.create(body, user());
        return Response.created(URI.create("/api/schedules/" + schedule.id())).entity(schedule).build();
    }

    @GET
    @RolesAllowed({Roles.ML_ENGINEER, Roles.RELEASE_MANAGER, Roles.ADMIN})
    public List<ScheduleView> list() {
        return schedules.list();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.ML_ENGINEER, Roles.RELEASE_MANAGER, Roles.ADMIN})
    public ScheduleView get(@PathParam("id") String id) {
        return schedules.get(id);
    }

    @POST
    @Path("/{id}/pause")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ML_ENGINEER, Roles.ADMIN})
    public ScheduleView pause(@PathParam("id") String id, @Valid CommandRequests.Note body) {
        return schedules.pause(id, body == null ? null : body.note(), user(), admin());
    }

    @POST
    @Path("/{id}/unpause")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ML_ENGINEER, Roles.ADMIN})
    public ScheduleView unpause(@PathParam("id") String id, @Valid CommandRequests.Note body) {
        return schedules.unpause(id, body == null ? null : body.note(), user(), admin());
    }

    @POST
    @Path("/{id}/trigger")
    @RolesAllowed({Roles.ML_ENGINEER, Roles.ADMIN})
    public Response trigger(@PathParam("id") String id) {
        CommandAccepted accepted = schedules.trigger(id, user(), admin());
        return Response.accepted(accepted).build();
    }

    @POST
    @Path("/{id}/backfill")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ML_ENGINEER, Roles.ADMIN})
    public Response backfill(@PathParam("id") String id, @Valid @NotNull CommandRequests.Backfill body) {
        return Response.accepted(schedules.backfill(id, body, user(), admin())).build();
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({Roles.ML_ENGINEER, Roles.ADMIN})
    public Response delete(@PathParam("id") String id) {
        schedules.delete(id, user(), admin());
        return Response.noContent().build();
    }

    private boolean admin() {
        return identity.hasRole(Roles.ADMIN);
    }

    private String user() {
        return identity.getPrincipal().getName();
    }
}
