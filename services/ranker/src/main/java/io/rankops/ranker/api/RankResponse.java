package io.rankops.ranker.api;

import java.util.List;
import java.util.Map;

/**
 * The candidates by fused score, best first; {@code position} is the 0-based rank. From the
 * baseline arm ({@code arm = "baseline"}, no champion yet) the items keep the caller's order,
 * with no {@code modelVersion}, a null {@code score} and no probabilities. {@code feedbackToken}
 * is issued for this list alone: POST /v1/feedback takes events for it only with this token.
 */
public record RankResponse(String requestId, String feedbackToken, String arm, String modelVersion,
        List<RankedItem> items) {

    public record RankedItem(long itemId, Float score, Map<String, Float> probabilities, int position) {
    }
}
