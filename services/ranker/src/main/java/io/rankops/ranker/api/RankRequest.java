package io.rankops.ranker.api;

import java.util.List;
import java.util.Map;

/**
 * POST /v1/rank. Each candidate's features are the request's {@code context} overlaid with its
 * own {@code features}; {@code region} (a name from the model's feature spec) fills the spec's
 * region column.
 */
public record RankRequest(String requestId, Long userId, String region, Map<String, Number> context,
        List<Candidate> candidates) {

    public record Candidate(Long itemId, Map<String, Number> features) {
    }
}
