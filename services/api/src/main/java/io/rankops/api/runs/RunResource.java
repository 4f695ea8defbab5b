package io.rankops.api.runs;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import io.rankops.api.approvals.ApprovalService;
import io.rankops.api.runs.RunViews.RunProgress;
import io.rankops.api.runs.RunViews.RunSummary;
import io.rankops.api.security.Roles;
import io.rankops.workflows.pipeline.PipelineStatus;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.resteasy.reactive.RestStreamElementType;

@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    /** How often the event stream pushes a run's status while it is open. */
    static final Duration EVENT_INTERVAL = Duration.ofSeconds(1);

    private final RunService runs;
    private final ApprovalService approvals;
    private final SecurityIdentity identity;

    public RunResource(RunService runs, ApprovalService approvals, SecurityIdentity identity) {
        this.runs = runs;
        this.approvals = approvals;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ML_ENGINEER, Roles.ADMIN})
    public Response start(@Valid @NotNull RunRequest body) {
        RunSummary run = runs.start(body, user());
        return Response.created(URI.create("/api/runs/" + run.id())).entity(run).build();
    }

    @GET
    @RolesAllowed({Roles.ML_ENGINEER, Roles.RELEASE_MANAGER, Roles.ADMIN})
    public RunViews.Page<RunSummary> list(@QueryParam("status") String status,
            @QueryParam("modelFamily") String modelFamily, @QueryParam("triggeredBy") String triggeredBy,
            @QueryParam("trigger") String trigger,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        return runs.page(status, modelFamily, triggeredBy, trigger, page, size);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.ML_ENGINEER, Roles.RELEASE_MANAGER, Roles.ADMIN})
    public RunViews.RunDetail get(@PathParam("id") String id) {
        return runs.detail(id);
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed({Roles.ML_ENGINEER, Roles.RELEASE_MANAGER, Roles.ADMIN})
    public Response cancel(@PathParam("id") String id) {
        return Response.accepted(runs.cancel(id, user(), identity.hasRole(Roles.ADMIN))).build();
    }

    @POST
    @Path("/{id}/decision")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMIN})
    public PipelineStatus decide(@PathParam("id") String id, @Valid @NotNull DecisionRequest body) {
        return approvals.decide(id, user(), body);
    }

    /** The run's status every EVENT_INTERVAL while it is open; the stream ends with its closing state. */
    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ML_ENGINEER, Roles.RELEASE_MANAGER, Roles.ADMIN})
    @Blocking
    public Multi<RunProgress> events(@PathParam("id") String id) {
        runs.find(id); // 404 before the stream opens
        AtomicBoolean closedSent = new AtomicBoolean();
        return Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(EVENT_INTERVAL)
                .onOverflow().drop()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(tick -> QuarkusTransaction.requiringNew().call(() -> runs.progress(id)))
                .select().first(progress -> !closedSent.getAndSet(!progress.open()));
    }

    private String user() {
        return identity.getPrincipal().getName();
    }
}
