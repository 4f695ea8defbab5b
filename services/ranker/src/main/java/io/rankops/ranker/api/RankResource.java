package io.rankops.ranker.api;

import io.rankops.ranker.serving.RankingService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The serving path; open (no auth), like any other in-cluster ranking call. */
@Path("/v1/rank")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class RankResource {

    private final RankingService ranking;

    public RankResource(RankingService ranking) {
        this.ranking = ranking;
    }

    @POST
    public RankResponse rank(RankRequest request) {
        return RankResponse.from(ranking.rank(request));
    }
}
