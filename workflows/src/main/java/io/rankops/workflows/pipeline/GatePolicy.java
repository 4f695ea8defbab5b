package io.rankops.workflows.pipeline;

import java.util.Map;

/**
 * What a candidate must reach offline before anyone is asked to approve it.
 *
 * @param k                    the K of Weighted Recall@K the gate judges
 * @param minWeightedRecall    absolute floor for the candidate's WR@K
 * @param maxRegression        largest allowed relative drop versus the champion (0.02 = 2 %)
 * @param regionFloors         per-region minimum WR@K; regions not named have none
 * @param metric               which WR@K ({@link GateMetric} wire name); null in runs started before
 *                             the choice existed, which judged the displayed list
 */
public record GatePolicy(int k, double minWeightedRecall, double maxRegression, Map<String, Double> regionFloors,
        String metric) {

    /** A gate on the displayed list's WR@K. */
    public GatePolicy(int k, double minWeightedRecall, double maxRegression, Map<String, Double> regionFloors) {
        this(k, minWeightedRecall, maxRegression, regionFloors, GateMetric.DISPLAYED_WR.wire());
    }

    public GateMetric gateMetric() {
        return GateMetric.of(metric);
    }
}
