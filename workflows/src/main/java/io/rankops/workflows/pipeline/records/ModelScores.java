package io.rankops.workflows.pipeline.records;

import java.util.Map;

/**
 * Offline scores of one model on the test split. Maps keyed by K are keyed by its decimal
 * string ("10"), so the JSON reads the same from Python and Java.
 *
 * @param weightedRecallAtK             K -> WR@K over the displayed list
 * @param auc                           task -> AUC
 * @param regionWeightedRecallAtK       region -> K -> WR@K over the displayed list
 * @param prerankWeightedRecallAtK      K -> WR@K over the whole candidate set; null when the
 *                                      events record no candidate sets
 * @param regionPrerankWeightedRecallAtK region -> K -> pre-rank WR@K; null likewise
 * @param counterfactual                IPS estimates of online orders per request; null without
 *                                      logged propensities
 */
public record ModelScores(Map<String, Double> weightedRecallAtK, Map<String, Double> auc,
        Map<String, Map<String, Double>> regionWeightedRecallAtK, Map<String, Double> prerankWeightedRecallAtK,
        Map<String, Map<String, Double>> regionPrerankWeightedRecallAtK, CounterfactualEstimate counterfactual) {

    /** Scores of events without candidate sets (displayed-list metrics only). */
    public ModelScores(Map<String, Double> weightedRecallAtK, Map<String, Double> auc,
            Map<String, Map<String, Double>> regionWeightedRecallAtK) {
        this(weightedRecallAtK, auc, regionWeightedRecallAtK, null, null, null);
    }

    public Double weightedRecallAt(int k) {
        return weightedRecallAtK.get(Integer.toString(k));
    }
}
