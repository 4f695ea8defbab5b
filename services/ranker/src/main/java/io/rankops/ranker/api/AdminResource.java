package io.rankops.ranker.api;

import io.rankops.platform.names.RegistryNames;
import io.rankops.platform.ranker.TrafficView;
import io.rankops.ranker.model.RankingModel;
import io.rankops.ranker.serving.Arm;
import io.rankops.ranker.serving.ArmMetrics;
import io.rankops.ranker.serving.RankerException;
import io.rankops.ranker.serving.ServingModels;
import io.rankops.ranker.serving.TrafficSplit;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;

/** Model and traffic control for the canary rollout; HTTP Basic (see {@link CredentialFilter}). */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    private final ServingModels models;
    private final TrafficSplit traffic;
    private final ArmMetrics metrics;

    public AdminResource(ServingModels models, TrafficSplit traffic, ArmMetrics metrics) {
        this.models = models;
        this.traffic = traffic;
        this.metrics = metrics;
    }

    @GET
    @Path("/models")
    public ModelsView models() {
        return new ModelsView(models.modelName(), view(models.peek(Arm.CHAMPION)), view(models.peek(Arm.CANDIDATE)),
                models.peek(Arm.CHAMPION).isEmpty(), models.lastError().map(e -> new ModelsView.LoadError(e.arm(), e.version(), e.source(), e.message(),
                        e.at().toString())).orElse(null));
    }

    /** Re-reads both aliases now (retrying versions refused before) and answers what is served after. */
    @POST
    @Path("/models/reload")
    public ModelsView reload() {
        models.refresh(true);
        return models();
    }

    @GET
    @Path("/traffic")
    public TrafficView traffic() {
        TrafficSplit.Settings current = traffic.get();
        return new TrafficView(current.candidateVersion(), current.candidatePercent());
    }

    @PUT
    @Path("/traffic")
    @Consumes(MediaType.APPLICATION_JSON)
    public TrafficView setTraffic(TrafficView requested) {
        if (requested == null || requested.candidatePercent() == null
                || !(requested.candidatePercent() >= 0.0 && requested.candidatePercent() <= 100.0)) {
            throw RankerException.badRequest("candidatePercent must be a number from 0 to 100");
        }
        String version = requested.candidateVersion();
        if (version == null || version.isBlank()) {
            if (requested.candidatePercent() > 0.0) {
                throw RankerException.badRequest("candidateVersion is required when candidatePercent > 0");
            }
        } else if (requested.candidatePercent() > 0.0 && !version.equals(models.version(Arm.CANDIDATE).orElse(null))) {
            // 0 % sends nobody anywhere, so it is accepted for any version: a promoted or withdrawn
            // candidate has lost its alias (and is unloaded) by the time its rollout zeroes the split.
            models.refresh(Arm.CANDIDATE);
            Optional<String> loaded = models.version(Arm.CANDIDATE);
            if (!loaded.map(version::equals).orElse(false)) {
                throw new RankerException(409, "candidateVersion " + version + " is not the loaded candidate (alias 'candidate' of '"
                        + models.modelName() + "' serves " + loaded.map(v -> "version " + v).orElse("nothing")
                        + models.lastError().filter(e -> version.equals(e.version())).map(e -> "; loading " + version
                                + " failed: " + e.message()).orElse("") + ")");
            }
        }
        String named = version == null || version.isBlank() ? null : version;
        TrafficSplit.Settings before = traffic.get();
        if (!java.util.Objects.equals(named, before.candidateVersion())
                || before.candidatePercent() != requested.candidatePercent()) {
            metrics.startComparison(); // a new split: every arm counts from now
        }
        traffic.set(new TrafficSplit.Settings(named, requested.candidatePercent()));
        return traffic();
    }

    private static ModelsView.Model view(Optional<RankingModel> model) {
        return model.map(m -> new ModelsView.Model(m.version(), m.source(), m.family(), m.metadata().get(RegistryNames.RUN_ID_TAG),
                m.loadedAt().toString(), m.itemSnapshot() == null ? null : m.itemSnapshot().uri(),
                m.itemSnapshot() == null ? null : m.itemSnapshot().items())).orElse(null);
    }
}
