package io.rankops.ranker.api;

import java.util.List;
import java.util.Map;

/** The candidates by fused score, best first; {@code position} is the 0-based rank. */
public record RankResponse(String requestId, String arm, String modelVersion, List<RankedItem> items) {

    public record RankedItem(long itemId, float score, Map<String, Float> probabilities, int position) {
    }
}
