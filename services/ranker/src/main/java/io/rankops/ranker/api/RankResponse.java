package io.rankops.ranker.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The candidates by fused score, best first; {@code position} is the 0-based rank. From the
 * baseline arm ({@code arm = "baseline"}, no champion yet) the items keep the caller's order,
 * with no {@code modelVersion}, a null {@code score} and no probabilities. {@code feedbackToken}
 * is issued for this list alone: POST /v1/feedback takes events for it only with this token.
 * {@code timedOut} is true (and present) only when the request's deadline passed before the model
 * scored it: the items are then in the caller's order, without scores.
 */
public record RankResponse(String requestId, String feedbackToken, String arm, String modelVersion,
        List<RankedItem> items, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean timedOut) {

    public RankResponse(String requestId, String feedbackToken, String arm, String modelVersion,
            List<RankedItem> items) {
        this(requestId, feedbackToken, arm, modelVersion, items, null);
    }

    /** {@code probabilities} is left out of the JSON when the request asked for none ({@code probabilities: false}). */
    public record RankedItem(long itemId, Float score,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Float> probabilities, int position) {
    }
}
