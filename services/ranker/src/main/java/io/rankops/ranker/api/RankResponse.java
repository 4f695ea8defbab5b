package io.rankops.ranker.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rankops.ranker.serving.Ranked;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    /** The readable answer: one item object per candidate, best first. */
    public static RankResponse from(Ranked ranked) {
        long[] ids = ranked.itemIds();
        List<RankedItem> items = new ArrayList<>(ids.length);
        for (int position = 0; position < ids.length; position++) {
            Map<String, Float> probabilities = null;
            if (ranked.probabilities() != null) {
                probabilities = new LinkedHashMap<>();
                for (Map.Entry<String, float[]> task : ranked.probabilities().entrySet()) {
                    probabilities.put(task.getKey(), task.getValue()[position]);
                }
            }
            items.add(new RankedItem(ids[position], ranked.scores() == null ? null : ranked.scores()[position],
                    probabilities, position));
        }
        return new RankResponse(ranked.requestId(), ranked.feedbackToken(), ranked.arm(), ranked.modelVersion(), items,
                ranked.timedOut() ? Boolean.TRUE : null);
    }

    /** {@code probabilities} is left out of the JSON when the request asked for none ({@code probabilities: false}). */
    public record RankedItem(long itemId, Float score,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Float> probabilities, int position) {
    }
}
