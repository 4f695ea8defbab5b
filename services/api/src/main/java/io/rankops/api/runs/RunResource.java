package io.rankops.api.runs;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import io.rankops.api.errors.ApiException;
import io.rankops.api.input.StrictJson;
import io.rankops.api.runs.RunViews.RunProgress;
import io.rankops.api.runs.RunViews.RunSummary;
import io.rankops.api.security.Roles;
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
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestStreamElementType;

@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
@CustomDeserialization(StrictJson.class)
public class RunResource {

    /** Retries of one logical request carry the same key and get the same run (RunCommands#replay). */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** How often the event stream pushes a run's status while it is open. */
    static final Duration EVENT_INTERVAL = Duration.ofSeconds(1);

    private final RunCommands commands;
    private final RunQueries runs;
    private final RunMetrics metrics;
    private final SecurityIdentity identity;

    private final EventWindow events;

    public RunResource(RunCommands commands, RunQueries runs, RunMetrics metrics, SecurityIdentity identity,
            EventWindow events) {
        this.commands = commands;
        this.events = events;
        this.runs = runs;
        this.metrics = metrics;
        this.identity = identity;
    }

    /** Every default a run request falls back to, for forms that must not write them a second time. */
    @GET
    @Path("/defaults")
    @RolesAllowed({Roles.ML_ENGINEER, Roles.RELEASE_MANAGER, Roles.ADMIN})
    public RunDefaultsView defaults() {
        return RunDefaultsView.current(events.declaredRegions());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ML_ENGINEER, Roles.ADMIN})
    public Response start(@Valid @NotNull RunRequest body,
            @HeaderParam(IDEMPOTENCY_KEY) @Parameter(description = "Optional, 1 to " + RunCommands.MAX_IDEMPOTENCY_KEY
                    + " visible ASCII characters (a UUID, say). A retry with the same key by the same user answers 200"
                    + " with the run the first request started, and starts nothing; the same key with a different"
                    + " request answers 422.") String idempotencyKey) {
        if (idempotencyKey == null) {
            RunSummary run = commands.start(body, user());
            return Response.created(URI.create("/api/runs/" + run.id())).entity(run).build();
        }
        RunCommands.checkIdempotencyKey(idempotencyKey);
        String user = user();
        Optional<RunSummary> earlier = commands.replay(idempotencyKey, body, user);
        if (earlier.isEmpty()) {
            try {
                RunSummary run = commands.start(body, user, RunCommands.keyedRunId(user, idempotencyKey));
                return Response.created(URI.create("/api/runs/" + run.id())).entity(run).build();
            } catch (RunCommands.RunExists raced) {
                // A concurrent request with the same key committed first: answer with its run.
                earlier = commands.replay(idempotencyKey, body, user);
            }
        }
        RunSummary run = earlier.orElseThrow(() -> ApiException.conflict(
                "a request with this " + IDEMPOTENCY_KEY + " is still being processed; retry"));
        return Response.ok(run).location(URI.create("/api/runs/" + run.id())).header("Idempotent-Replayed", "true")
                .build();
    }

    @GET
    @RolesAllowed({Roles.ML_ENGINEER, Roles.RELEASE_MANAGER, Roles.ADMIN})
    public RunViews.Page<RunSummary> list(@QueryParam("status") String status,
            @QueryParam("modelFamily") String modelFamily, @QueryParam("triggeredBy") String triggeredBy,
            @QueryParam("trigger") String trigger,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(RunQueries.MAX_PAGE) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        return runs.page(status, modelFamily, triggeredBy, trigger, page, size);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.ML_ENGINEER, Roles.RELEASE_MANAGER, Roles.ADMIN})
    public RunViews.RunDetail get(@PathParam("id") String id) {
        return runs.detail(id);
    }

    /** The MLflow metric history of the run's training, one entry per epoch; none before it trains. */
    @GET
    @Path("/{id}/metrics")
    @RolesAllowed({Roles.ML_ENGINEER, Roles.RELEASE_MANAGER, Roles.ADMIN})
    public RunMetrics.History metrics(@PathParam("id") String id) {
        return metrics.history(id);
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed({Roles.ML_ENGINEER, Roles.RELEASE_MANAGER, Roles.ADMIN})
    public Response cancel(@PathParam("id") String id) {
        return Response.accepted(commands.cancel(id, user(), identity.hasRole(Roles.ADMIN))).build();
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
