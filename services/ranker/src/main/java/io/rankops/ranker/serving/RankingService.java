package io.rankops.ranker.serving;

import ai.onnxruntime.OrtException;
import io.rankops.ranker.RankerSettings;
import io.rankops.ranker.api.RankRequest;
import io.rankops.ranker.api.RankResponse;
import io.rankops.ranker.model.FeatureSpec;
import io.rankops.ranker.model.RankingModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Serves one ranking request: picks the arm (sticky traffic split; the caller's own order while
 * no champion exists), builds the two input tensors
 * in the model's feature-spec order, scores every candidate in one ONNX Runtime run, orders by
 * the fused score and remembers the list, with a fresh feedback token, for feedback. Refusals of
 * what the caller sent are 4xx and count for no arm; only the ranker's own failures are arm errors.
 */
@ApplicationScoped
public class RankingService {

    private static final Logger LOG = Logger.getLogger(RankingService.class);
    /** Printable ASCII without spaces: a requestId ends up in logs, metrics tools and error messages. */
    private static final Pattern REQUEST_ID = Pattern.compile("[\\x21-\\x7E]+");

    private final ServingModels models;
    private final TrafficSplit traffic;
    private final ArmMetrics metrics;
    private final Impressions impressions;
    private final int maxCandidates;
    private final int maxRequestIdLength;

    public RankingService(ServingModels models, TrafficSplit traffic, ArmMetrics metrics, Impressions impressions,
            RankerSettings settings) {
        this.models = models;
        this.traffic = traffic;
        this.metrics = metrics;
        this.impressions = impressions;
        this.maxCandidates = settings.maxCandidates();
        this.maxRequestIdLength = settings.maxRequestIdLength();
    }

    public RankResponse rank(RankRequest request) {
        long start = System.nanoTime();
        validate(request);
        String requestId = requestId(request);
        long userId = request.userId();
        Arm arm;
        RankingModel model;
        // Only the split names who the candidate serves: a loaded candidate outside it serves nobody.
        RankingModel candidate = models.acquire(Arm.CANDIDATE);
        if (candidate != null && traffic.routesToCandidate(userId, candidate.version())) {
            arm = Arm.CANDIDATE;
            model = candidate;
        } else {
            if (candidate != null) {
                candidate.release();
            }
            model = models.acquire(Arm.CHAMPION);
            arm = Arm.CHAMPION;
        }
        if (model == null) {
            // No champion yet: the caller's own order, counted as the baseline arm.
            try {
                return served(request, callersOrder(request, requestId), Arm.BASELINE, null,
                        metrics.statsFor(Arm.BASELINE, null), start);
            } catch (RankerException e) {
                metrics.recordRejected(e.status());
                throw e;
            }
        }
        ArmStats stats = metrics.statsFor(arm, model.version());
        try {
            return served(request, score(request, requestId, arm, model), arm, model.version(), stats, start);
        } catch (RankerException e) {
            // Only the ranker's own failures are the arm's errors: a caller who sends what no model
            // can rank (a missing feature, an unknown region) must not be able to push a canary
            // into rollback.
            if (e.status() >= 500) {
                armError(arm, stats, start);
                LOG.errorf("ranking request %s with %s version %s failed: %s", requestId, arm.alias(), model.version(),
                        e.getMessage());
            } else {
                metrics.recordRejected(e.status());
            }
            throw e;
        } catch (RuntimeException e) {
            armError(arm, stats, start);
            LOG.errorf(e, "ranking request %s with %s version %s failed", requestId, arm.alias(), model.version());
            throw new RankerException(500, "ranking failed inside the ranker (request " + requestId + ", logged)");
        } finally {
            model.release();
        }
    }

    private void armError(Arm arm, ArmStats stats, long start) {
        long elapsed = System.nanoTime() - start;
        stats.recordError(elapsed);
        metrics.recordLatency(arm, elapsed);
    }

    /**
     * Remembers the list for feedback, then counts it for its arm. Remembering first makes a
     * requestId that another request took a moment earlier a 409 that counts nowhere.
     */
    private RankResponse served(RankRequest request, RankResponse ranked, Arm arm, String version, ArmStats stats,
            long start) {
        String token = impressions.newToken();
        long[] itemIds = request.candidates().stream().mapToLong(RankRequest.Candidate::itemId).toArray();
        if (!impressions.remember(new Impression(ranked.requestId(), arm, version, request.userId(), itemIds, token, stats,
                impressions.expiryFromNow()))) {
            throw alreadyRanked(ranked.requestId());
        }
        long elapsed = System.nanoTime() - start;
        stats.recordServed(request.userId(), ranked.items().size(), elapsed);
        metrics.recordLatency(arm, elapsed);
        return new RankResponse(ranked.requestId(), token, ranked.arm(), ranked.modelVersion(), ranked.items());
    }

    /** The baseline arm's answer: the candidates as the caller sent them, no scores. */
    private static RankResponse callersOrder(RankRequest request, String requestId) {
        List<RankRequest.Candidate> candidates = request.candidates();
        List<RankResponse.RankedItem> items = new ArrayList<>(candidates.size());
        for (int position = 0; position < candidates.size(); position++) {
            items.add(new RankResponse.RankedItem(candidates.get(position).itemId(), null, Map.of(), position));
        }
        return new RankResponse(requestId, null, Arm.BASELINE.alias(), null, items);
    }

    private static String requestId(RankRequest request) {
        return request.requestId() == null ? UUID.randomUUID().toString() : request.requestId();
    }

    private static RankerException alreadyRanked(String requestId) {
        return new RankerException(409, "requestId '" + requestId + "' was ranked already: a ranked list cannot be"
                + " replaced (its feedback belongs to it); send a new requestId, or none and the ranker picks one");
    }

    /** Everything that can be checked without a model; each refusal is a 4xx that counts for no arm. */
    private void validate(RankRequest request) {
        try {
            checkShape(request);
        } catch (RankerException e) {
            metrics.recordRejected(e.status());
            throw e;
        }
    }

    private void checkShape(RankRequest request) {
        if (request == null) {
            throw RankerException.badRequest("the request needs a JSON body");
        }
        if (request.requestId() != null) {
            String id = request.requestId();
            if (id.length() > maxRequestIdLength) {
                throw RankerException.badRequest("requestId has " + id.length() + " characters; at most "
                        + maxRequestIdLength + " (rankops.ranker.max-request-id-length)");
            }
            if (!REQUEST_ID.matcher(id).matches()) {
                throw RankerException.badRequest("requestId must be printable ASCII without spaces, 1 to "
                        + maxRequestIdLength + " characters");
            }
            if (impressions.contains(id)) {
                throw alreadyRanked(id);
            }
        }
        if (request.userId() == null) {
            throw RankerException.badRequest("userId is required");
        }
        if (request.candidates() == null || request.candidates().isEmpty()) {
            throw RankerException.badRequest("candidates must list at least one item");
        }
        if (request.candidates().size() > maxCandidates) {
            throw new RankerException(413, request.candidates().size() + " candidates; at most " + maxCandidates
                    + " per request (rankops.ranker.max-candidates)");
        }
        Set<Long> seen = new HashSet<>(request.candidates().size() * 2);
        for (int i = 0; i < request.candidates().size(); i++) {
            RankRequest.Candidate candidate = request.candidates().get(i);
            if (candidate == null || candidate.itemId() == null) {
                throw RankerException.badRequest("candidates[" + i + "] has no itemId");
            }
            // A list shows an item once; a second copy would make its feedback ambiguous.
            if (!seen.add(candidate.itemId())) {
                throw RankerException.badRequest("candidates[" + i + "]: itemId " + candidate.itemId()
                        + " is listed twice");
            }
        }
    }

    private static RankResponse score(RankRequest request, String requestId, Arm arm, RankingModel model) {
        FeatureSpec spec = model.spec();
        List<RankRequest.Candidate> candidates = request.candidates();
        int rows = candidates.size();
        int nCat = spec.categorical().size();
        int nNum = spec.numerical().size();
        Map<String, Number> context = request.context() == null ? Map.of() : request.context();
        Long regionCode = regionCode(request.region(), spec);

        long[] cat = new long[rows * nCat];
        float[] num = new float[rows * nNum];
        for (int r = 0; r < rows; r++) {
            RankRequest.Candidate candidate = candidates.get(r);
            Map<String, Number> own = candidate.features() == null ? Map.of() : candidate.features();
            for (int c = 0; c < nCat; c++) {
                String name = spec.categorical().get(c);
                cat[r * nCat + c] = regionCode != null && name.equals(spec.regionColumn()) ? regionCode
                        : categoricalId(name, feature(name, own, context, candidate), spec, candidate);
            }
            for (int c = 0; c < nNum; c++) {
                String name = spec.numerical().get(c);
                Number value = feature(name, own, context, candidate);
                float asFloat = value.floatValue();
                // float32 is what the model reads: 1e39 is a finite JSON number but an infinite input.
                if (!Float.isFinite(asFloat)) {
                    throw RankerException.badRequest("feature '" + name + "' must be a finite float32 number, got "
                            + value + " (item " + candidate.itemId() + ")");
                }
                num[r * nNum + c] = asFloat;
            }
        }

        RankingModel.Scores scores;
        try {
            scores = model.score(cat, num, rows);
        } catch (OrtException e) {
            throw new RankerException(500, "model version " + model.version() + " failed to score: " + e.getMessage());
        }

        Integer[] order = new Integer[rows];
        Arrays.setAll(order, i -> i);
        float[] score = scores.score();
        // stable sort: equal scores keep the candidates' order
        Arrays.sort(order, (a, b) -> Float.compare(score[b], score[a]));
        List<RankResponse.RankedItem> items = new ArrayList<>(rows);
        for (int position = 0; position < rows; position++) {
            int row = order[position];
            Map<String, Float> probabilities = new LinkedHashMap<>();
            scores.probabilities().forEach((task, p) -> probabilities.put(task, p[row]));
            items.add(new RankResponse.RankedItem(candidates.get(row).itemId(), score[row], probabilities, position));
        }
        return new RankResponse(requestId, null, arm.alias(), model.version(), items);
    }

    /**
     * A categorical id as the model takes it: a non-negative integer. Ids at or above a column's
     * cardinality are in its vocabulary (the model maps them to {@code id mod cardinality}, so new
     * users and items need no vocabulary file: docs/models.md); the region column's vocabulary is
     * the spec's regions.
     */
    private static long categoricalId(String name, Number value, FeatureSpec spec, RankRequest.Candidate candidate) {
        long id;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            id = value.longValue();
        } else if (value instanceof BigInteger big) {
            if (big.bitLength() > 63) {
                throw RankerException.badRequest("feature '" + name + "' is a categorical id outside int64, got " + value
                        + " (item " + candidate.itemId() + ")");
            }
            id = big.longValue();
        } else {
            double asDouble = value.doubleValue();
            if (!Double.isFinite(asDouble) || asDouble != Math.rint(asDouble) || Math.abs(asDouble) >= 0x1p63) {
                throw RankerException.badRequest("feature '" + name + "' is a categorical id and must be an integer, got "
                        + value + " (item " + candidate.itemId() + ")");
            }
            id = (long) asDouble;
        }
        if (id < 0) {
            throw RankerException.badRequest("feature '" + name + "' is a categorical id and cannot be negative, got "
                    + value + " (item " + candidate.itemId() + ")");
        }
        if (name.equals(spec.regionColumn()) && !spec.regions().isEmpty() && id >= spec.regions().size()) {
            throw RankerException.badRequest("feature '" + name + "' is the region code: 0 to " + (spec.regions().size() - 1)
                    + " for " + spec.regions() + ", got " + value + " (item " + candidate.itemId() + ")");
        }
        return id;
    }

    private static Long regionCode(String region, FeatureSpec spec) {
        if (region == null || spec.regionColumn() == null) {
            return null;
        }
        int index = spec.regionIndex(region);
        if (index < 0) {
            throw RankerException.badRequest("unknown region '" + region + "': the model knows " + spec.regions());
        }
        return (long) index;
    }

    private static Number feature(String name, Map<String, Number> own, Map<String, Number> context,
            RankRequest.Candidate candidate) {
        Number value = own.get(name);
        if (value == null) {
            value = context.get(name);
        }
        if (value == null) {
            throw RankerException.badRequest("missing feature '" + name + "' for item " + candidate.itemId()
                    + ": send it in context or in the candidate's features");
        }
        return value;
    }
}
