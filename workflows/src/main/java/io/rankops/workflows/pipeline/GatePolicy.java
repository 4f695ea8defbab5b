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
 * @param engagementWeights    what a click, an add-to-cart and an order count for in pre-rank WR@K
 *                             ({@link #ENGAGEMENT_KINDS}); null or empty: orders only
 */
public record GatePolicy(int k, double minWeightedRecall, double maxRegression, Map<String, Double> regionFloors,
        String metric, Map<String, Double> engagementWeights) {

    /** The engagement kinds pre-rank WR@K weighs (the trainer's metrics.prerank.ENGAGEMENT_KINDS). */
    public static final String ENGAGEMENT_KINDS = "click|cart|order";

    /** A gate on the displayed list's WR@K. */
    public GatePolicy(int k, double minWeightedRecall, double maxRegression, Map<String, Double> regionFloors) {
        this(k, minWeightedRecall, maxRegression, regionFloors, GateMetric.DISPLAYED_WR.wire(), null);
    }

    /** A gate on the given metric, orders only. */
    public GatePolicy(int k, double minWeightedRecall, double maxRegression, Map<String, Double> regionFloors,
            String metric) {
        this(k, minWeightedRecall, maxRegression, regionFloors, metric, null);
    }

    public GateMetric gateMetric() {
        return GateMetric.of(metric);
    }
}
