package io.rankops.ranker.api;

import io.rankops.ranker.serving.RankingService;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The serving path; open (no auth), like any other in-cluster ranking call.
 *
 * <p>Non-blocking on purpose: Quarkus REST then reads the whole body on the event loop (up to
 * {@code quarkus.rest.input-buffer-size}, which is the body limit) and binds it there, and the
 * scoring runs on the worker pool, never on the event loop. A blocking resource method would be
 * dispatched first and pull a large body through a blocking stream, one hand-off per chunk.
 */
@Path("/v1/rank")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class RankResource {

    private final RankingService ranking;

    public RankResource(RankingService ranking) {
        this.ranking = ranking;
    }

    @POST
    public Uni<RankResponse> rank(RankRequest request) {
        return Uni.createFrom().item(() -> RankResponse.from(ranking.rank(request)))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
