package io.rankops.ranker.api;

import java.util.List;
import java.util.Map;

/**
 * POST /v1/rank, in one of two forms (services/ranker/README.md, "API").
 *
 * <p>Readable: {@code candidates}, each with its own {@code features}; each candidate's features are
 * the request's {@code context} overlaid with its own. Compact (columnar): {@code itemIds}, with
 * the item features served from the model's item snapshot, {@code candidateFeatures} one array per
 * per-candidate feature (in {@code itemIds} order), {@code overrides} one array per overridden
 * item feature the spec marks overridable; no per-candidate objects, so nothing is allocated per
 * candidate but the arrays themselves. In both, {@code region} (a name from the model's feature
 * spec) fills the spec's region column.
 *
 * @param probabilities false leaves the per-task probabilities out of the answer (default true)
 * @param deadlineMs the caller's budget for this request, capped by {@code rankops.ranker.deadline}
 */
public record RankRequest(String requestId, Long userId, String region, Map<String, Number> context,
        List<Candidate> candidates, long[] itemIds, Map<String, double[]> candidateFeatures,
        Map<String, double[]> overrides, Boolean probabilities, Integer deadlineMs) {

    /** The readable form's constructor (tests and callers that predate the compact form). */
    public RankRequest(String requestId, Long userId, String region, Map<String, Number> context,
            List<Candidate> candidates) {
        this(requestId, userId, region, context, candidates, null, null, null, null, null);
    }

    public record Candidate(Long itemId, Map<String, Number> features) {
    }

    /** True for the columnar form. */
    public boolean compact() {
        return itemIds != null;
    }

    /** How many candidates the request ranks, in either form. */
    public int size() {
        return itemIds != null ? itemIds.length : candidates == null ? 0 : candidates.size();
    }

    /** The candidates' item ids in the caller's order. */
    public long[] itemIdArray() {
        return itemIds != null ? itemIds : candidates.stream().mapToLong(Candidate::itemId).toArray();
    }

    public boolean wantsProbabilities() {
        return probabilities == null || probabilities;
    }
}
