package io.rankops.workflows.pipeline.records;

/**
 * Orders per request the model would earn online, estimated from the logged lists with the logging
 * pre-ranker's propensities (docs/metrics.md, "Counterfactual estimates").
 *
 * @param ips       inverse propensity scoring, weights clipped at {@code clip}
 * @param snips     self-normalised IPS
 * @param ci95Low   lower end of the 95 % interval of {@code snips}
 * @param ci95High  upper end
 * @param logged    orders per request the logging policy earned
 * @param nRequests requests in the estimate
 */
public record CounterfactualEstimate(Double ips, Double snips, Double ci95Low, Double ci95High, Double clip,
        Double logged, Integer nRequests) {
}
