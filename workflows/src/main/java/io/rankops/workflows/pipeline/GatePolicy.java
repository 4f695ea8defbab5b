package io.rankops.workflows.pipeline;

import java.util.Map;

/**
 * What a candidate must reach offline before anyone is asked to approve it.
 *
 * @param k                    the K of Weighted Recall@K the gate judges
 * @param minWeightedRecall    absolute floor for the candidate's WR@K
 * @param maxRegression        largest allowed relative drop versus the champion (0.02 = 2 %)
 * @param regionFloors         per-region minimum WR@K; regions not named have none
 */
public record GatePolicy(int k, double minWeightedRecall, double maxRegression, Map<String, Double> regionFloors) {
}
