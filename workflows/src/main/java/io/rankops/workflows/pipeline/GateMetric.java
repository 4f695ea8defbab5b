package io.rankops.workflows.pipeline;

import java.util.Arrays;
import java.util.List;

/**
 * Which Weighted Recall@K the offline gate judges (definitions: docs/metrics.md). The wire name is
 * what run requests, the UI and the evaluation report's keys use.
 */
public enum GateMetric {
    /** WR@K over the list that was shown (the logged impressions): report key {@code wr_at_k}. */
    DISPLAYED_WR("displayed_wr", "WR@%d"),
    /**
     * WR@K over each request's whole candidate set, the pre-rank stage's own metric: report key
     * {@code prerank_wr_at_k}. Only events that record candidate sets have it.
     */
    PRERANK_WR("prerank_wr", "pre-rank WR@%d");

    /** The alternation validation annotations need as a constant. */
    public static final String PATTERN = "displayed_wr|prerank_wr";

    private final String wire;
    private final String label;

    GateMetric(String wire, String label) {
        this.wire = wire;
        this.label = label;
    }

    public String wire() {
        return wire;
    }

    /** "pre-rank WR@100": how verdicts and the UI name the metric at a K. */
    public String label(int k) {
        return String.format(java.util.Locale.ROOT, label, k);
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(GateMetric::wire).toList();
    }

    /** The metric a wire name names; null (runs started before the choice existed) is displayed WR. */
    public static GateMetric of(String wire) {
        if (wire == null) {
            return DISPLAYED_WR;
        }
        for (GateMetric metric : values()) {
            if (metric.wire.equals(wire)) {
                return metric;
            }
        }
        throw new IllegalArgumentException("unknown gate metric " + wire + "; known: " + wireNames());
    }
}
