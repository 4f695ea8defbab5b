package io.rankops.workflows.pipeline.records;

import java.util.Map;

/**
 * Offline scores of one model on the test split. Maps keyed by K are keyed by its decimal
 * string ("10"), so the JSON reads the same from Python and Java.
 *
 * @param weightedRecallAtK       K -> WR@K
 * @param auc                     task -> AUC
 * @param regionWeightedRecallAtK region -> K -> WR@K
 */
public record ModelScores(Map<String, Double> weightedRecallAtK, Map<String, Double> auc,
        Map<String, Map<String, Double>> regionWeightedRecallAtK) {

    public Double weightedRecallAt(int k) {
        return weightedRecallAtK.get(Integer.toString(k));
    }
}
