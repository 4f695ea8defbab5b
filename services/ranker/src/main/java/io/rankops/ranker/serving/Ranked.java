package io.rankops.ranker.serving;

import java.util.Map;

/**
 * One answered ranking request, columnar: what both the JSON answer and the gRPC answer are made
 * of, so neither path builds an object per candidate it does not need.
 *
 * @param itemIds best first (the caller's order from the baseline arm or past the deadline)
 * @param scores the fused score per item in {@code itemIds} order, or null when nothing was scored
 * @param probabilities per task, in {@code itemIds} order; null when the request asked for none
 *     (empty when it asked but nothing was scored)
 */
public record Ranked(String requestId, String feedbackToken, String arm, String modelVersion, long[] itemIds,
        float[] scores, Map<String, float[]> probabilities, boolean timedOut) {

    Ranked withToken(String token) {
        return new Ranked(requestId, token, arm, modelVersion, itemIds, scores, probabilities, timedOut);
    }
}
