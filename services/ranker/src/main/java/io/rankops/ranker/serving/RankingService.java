package io.rankops.ranker.serving;

import ai.onnxruntime.OrtException;
import io.rankops.ranker.RankerSettings;
import io.rankops.ranker.api.RankRequest;
import io.rankops.ranker.model.FeatureSpec;
import io.rankops.ranker.model.ItemSnapshot;
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
    private final long deadlineNanos;
    private final boolean refuseUnknownItems;
    private final Deadlines deadlines;

    public RankingService(ServingModels models, TrafficSplit traffic, ArmMetrics metrics, Impressions impressions,
            RankerSettings settings, Deadlines deadlines) {
        this.models = models;
        this.traffic = traffic;
        this.metrics = metrics;
        this.impressions = impressions;
        this.maxCandidates = settings.maxCandidates();
        this.maxRequestIdLength = settings.maxRequestIdLength();
        this.deadlineNanos = settings.deadline().toNanos();
        this.refuseUnknownItems = settings.unknownItems() == RankerSettings.UnknownItems.REFUSE;
        this.deadlines = deadlines;
    }

    public Ranked rank(RankRequest request) {
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
                return served(request, callersOrder(request, requestId, Arm.BASELINE, null, false), Arm.BASELINE, null,
                        metrics.statsFor(Arm.BASELINE, null), start);
            } catch (RankerException e) {
                metrics.recordRejected(e.status());
                throw e;
            }
        }
        ArmStats stats = metrics.statsFor(arm, model.version());
        try {
            Ranked ranked;
            try {
                ranked = score(request, requestId, arm, model, deadlineAt(request, start));
            } catch (Deadlines.Exceeded e) {
                // Past the budget the caller's own order is the safest answer; the arm is counted as slow.
                metrics.recordTimeout(arm);
                ranked = callersOrder(request, requestId, arm, model.version(), true);
            }
            return served(request, ranked, arm, model.version(), stats, start);
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
    private Ranked served(RankRequest request, Ranked ranked, Arm arm, String version, ArmStats stats, long start) {
        String token = impressions.newToken();
        long[] itemIds = request.itemIdArray();
        if (!impressions.remember(new Impression(ranked.requestId(), arm, version, request.userId(), itemIds, token, stats,
                impressions.expiryFromNow()))) {
            throw alreadyRanked(ranked.requestId());
        }
        long elapsed = System.nanoTime() - start;
        stats.recordServed(request.userId(), itemIds.length, elapsed);
        metrics.recordLatency(arm, elapsed);
        metrics.recordDuration(arm, itemIds.length, elapsed);
        return ranked.withToken(token);
    }

    /** System.nanoTime() at which the request's budget ends, or 0 for none. */
    private long deadlineAt(RankRequest request, long start) {
        long budget = deadlineNanos;
        if (request.deadlineMs() != null) {
            long own = request.deadlineMs() * 1_000_000L;
            budget = budget == 0 ? own : Math.min(budget, own);
        }
        return budget == 0 ? 0 : start + budget;
    }

    /**
     * The candidates as the caller sent them, no scores: the baseline arm's answer, and any arm's
     * once the deadline has passed ({@code timedOut}).
     */
    private static Ranked callersOrder(RankRequest request, String requestId, Arm arm, String version, boolean timedOut) {
        return new Ranked(requestId, null, arm.alias(), version, request.itemIdArray(), null,
                request.wantsProbabilities() ? Map.of() : null, timedOut);
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
        if (request.deadlineMs() != null && request.deadlineMs() < 1) {
            throw RankerException.badRequest("deadlineMs must be at least 1, got " + request.deadlineMs());
        }
        if (request.compact()) {
            checkCompactShape(request);
            return;
        }
        if (request.candidateFeatures() != null || request.overrides() != null) {
            throw RankerException.badRequest("candidateFeatures and overrides belong to the compact form: send itemIds"
                    + " with them, or candidates with their features");
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

    /** The compact form: itemIds (no candidates), bounded, each id once, every column as long as itemIds. */
    private void checkCompactShape(RankRequest request) {
        if (request.candidates() != null) {
            throw RankerException.badRequest("send either candidates (readable form) or itemIds (compact form), not both");
        }
        long[] ids = request.itemIds();
        if (ids.length == 0) {
            throw RankerException.badRequest("itemIds must list at least one item");
        }
        if (ids.length > maxCandidates) {
            throw new RankerException(413, ids.length + " candidates; at most " + maxCandidates
                    + " per request (rankops.ranker.max-candidates)");
        }
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw RankerException.badRequest("itemIds: itemId " + sorted[i] + " is listed twice");
            }
        }
        checkColumns("candidateFeatures", request.candidateFeatures(), ids.length);
        checkColumns("overrides", request.overrides(), ids.length);
    }

    private static void checkColumns(String field, Map<String, double[]> columns, int rows) {
        if (columns == null) {
            return;
        }
        for (Map.Entry<String, double[]> column : columns.entrySet()) {
            if (column.getValue() == null || column.getValue().length != rows) {
                throw RankerException.badRequest(field + "." + column.getKey() + " has "
                        + (column.getValue() == null ? "no values" : column.getValue().length + " values")
                        + "; itemIds has " + rows);
            }
        }
    }

    private Ranked score(RankRequest request, String requestId, Arm arm, RankingModel model, long deadlineAt) {
        int rows = request.size();
        FeatureSpec spec = model.spec();
        long[] cat = new long[rows * spec.categorical().size()];
        float[] num = new float[rows * spec.numerical().size()];
        if (request.compact()) {
            compactFeatures(request, arm, model, cat, num);
        } else {
            readableFeatures(request, spec, cat, num);
        }
        boolean withProbabilities = request.wantsProbabilities();
        RankingModel.Scores scores = run(model, cat, num, rows, deadlineAt, withProbabilities);
        int[] order = bestFirst(scores.score());
        long[] ids = request.itemIdArray();
        long[] rankedIds = new long[rows];
        for (int position = 0; position < rows; position++) {
            rankedIds[position] = ids[order[position]];
        }
        Map<String, float[]> probabilities = null;
        if (withProbabilities) {
            probabilities = new LinkedHashMap<>();
            for (Map.Entry<String, float[]> task : scores.probabilities().entrySet()) {
                probabilities.put(task.getKey(), inOrder(task.getValue(), order));
            }
        }
        return new Ranked(requestId, null, arm.alias(), model.version(), rankedIds, inOrder(scores.score(), order),
                probabilities, false);
    }

    /** {@code values} (one per candidate) in the ranked order. */
    private static float[] inOrder(float[] values, int[] order) {
        float[] ranked = new float[order.length];
        for (int position = 0; position < order.length; position++) {
            ranked[position] = values[order[position]];
        }
        return ranked;
    }

    /**
     * Row indices by descending score; equal scores keep the candidates' order. One primitive sort:
     * each key packs the score's order-preserving bits (flipped, so the best sorts first) above
     * the row index, which breaks ties by position.
     */
    static int[] bestFirst(float[] score) {
        long[] keys = new long[score.length];
        for (int row = 0; row < score.length; row++) {
            int bits = Float.floatToIntBits(score[row] == 0f ? 0f : score[row]); // -0 ties with +0
            int ascending = bits ^ ((bits >> 31) & 0x7fffffff); // larger float, larger int
            keys[row] = ((long) ~ascending << 32) | row;
        }
        Arrays.sort(keys);
        int[] order = new int[score.length];
        for (int position = 0; position < score.length; position++) {
            order[position] = (int) keys[position];
        }
        return order;
    }

    /** One ONNX Runtime run, ended by the deadline if it has one. */
    private RankingModel.Scores run(RankingModel model, long[] cat, float[] num, int rows, long deadlineAt,
            boolean withProbabilities) {
        try {
            if (deadlineAt == 0) {
                return model.score(cat, num, rows, null, withProbabilities);
            }
            long left = deadlineAt - System.nanoTime();
            if (left <= 0) {
                throw new Deadlines.Exceeded();
            }
            try (Deadlines.Guard guard = deadlines.arm(left)) {
                try {
                    return model.score(cat, num, rows, guard.options(), withProbabilities);
                } catch (OrtException e) {
                    if (guard.fired()) {
                        throw new Deadlines.Exceeded();
                    }
                    throw e;
                }
            }
        } catch (OrtException e) {
            throw new RankerException(500, "model version " + model.version() + " failed to score: " + e.getMessage());
        }
    }

    /**
     * Fills the tensors from the compact form's arrays, column by column: {@code item_id} from
     * itemIds, the region column from region, then per feature the first of: an override (only
     * for the spec's overridable item features), the item snapshot, the caller's candidate column,
     * the context. An item feature the snapshot serves cannot come from candidateFeatures: the
     * model is served with the values it was evaluated with.
     */
    private void compactFeatures(RankRequest request, Arm arm, RankingModel model, long[] cat, float[] num) {
        FeatureSpec spec = model.spec();
        ItemSnapshot snapshot = model.itemSnapshot();
        long[] ids = request.itemIds();
        int rows = ids.length;
        Map<String, double[]> columns = request.candidateFeatures() == null ? Map.of() : request.candidateFeatures();
        Map<String, double[]> overrides = request.overrides() == null ? Map.of() : request.overrides();
        Map<String, Number> context = request.context() == null ? Map.of() : request.context();
        for (String name : overrides.keySet()) {
            if (!spec.overridable().contains(name)) {
                throw RankerException.badRequest("overrides." + name + ": model version " + model.version()
                        + " lets requests override only " + spec.overridable());
            }
        }
        int[] snapshotRows = null;
        if (snapshot != null) {
            for (String name : columns.keySet()) {
                if (snapshot.features().contains(name)) {
                    throw RankerException.badRequest("candidateFeatures." + name + " is an item feature served from"
                            + " model version " + model.version() + "'s item snapshot"
                            + (spec.overridable().contains(name) ? "; send a live value in overrides" : ""));
                }
            }
            snapshotRows = snapshotRows(snapshot, ids, arm, model);
        }
        Long regionCode = regionCode(request.region(), spec);
        int nCat = spec.categorical().size();
        for (int c = 0; c < nCat; c++) {
            String name = spec.categorical().get(c);
            if (name.equals(FeatureSpec.ITEM_KEY)) {
                for (int r = 0; r < rows; r++) {
                    if (ids[r] < 0) {
                        throw RankerException.badRequest("itemIds: item ids cannot be negative, got " + ids[r]);
                    }
                    cat[r * nCat + c] = ids[r];
                }
            } else if (regionCode != null && name.equals(spec.regionColumn())) {
                for (int r = 0; r < rows; r++) {
                    cat[r * nCat + c] = regionCode;
                }
            } else if (overrides.containsKey(name) || (snapshot == null || !snapshot.servesCategorical(c))
                    && columns.containsKey(name)) {
                double[] values = overrides.containsKey(name) ? overrides.get(name) : columns.get(name);
                for (int r = 0; r < rows; r++) {
                    cat[r * nCat + c] = categoricalId(name, values[r], spec, ids[r]);
                }
            } else if (snapshot != null && snapshot.servesCategorical(c)) {
                for (int r = 0; r < rows; r++) {
                    cat[r * nCat + c] = snapshot.categorical(c, snapshotRows[r]);
                }
            } else {
                long value = categoricalId(name, contextValue(name, context, model), spec, ids[0]);
                for (int r = 0; r < rows; r++) {
                    cat[r * nCat + c] = value;
                }
            }
        }
        int nNum = spec.numerical().size();
        for (int c = 0; c < nNum; c++) {
            String name = spec.numerical().get(c);
            if (overrides.containsKey(name) || (snapshot == null || !snapshot.servesNumerical(c))
                    && columns.containsKey(name)) {
                double[] values = overrides.containsKey(name) ? overrides.get(name) : columns.get(name);
                for (int r = 0; r < rows; r++) {
                    num[r * nNum + c] = finiteFloat(name, values[r], ids[r]);
                }
            } else if (snapshot != null && snapshot.servesNumerical(c)) {
                for (int r = 0; r < rows; r++) {
                    num[r * nNum + c] = snapshot.numerical(c, snapshotRows[r]);
                }
            } else {
                Number value = contextValue(name, context, model);
                float asFloat = finiteFloat(name, value.doubleValue(), ids[0]);
                for (int r = 0; r < rows; r++) {
                    num[r * nNum + c] = asFloat;
                }
            }
        }
    }

    /** Each candidate's snapshot row (-1: unknown, scored with the default row, or refused by configuration). */
    private int[] snapshotRows(ItemSnapshot snapshot, long[] ids, Arm arm, RankingModel model) {
        int[] rows = new int[ids.length];
        int unknown = 0;
        for (int r = 0; r < ids.length; r++) {
            rows[r] = snapshot.row(ids[r]);
            if (rows[r] < 0) {
                unknown++;
            }
        }
        if (unknown > 0) {
            if (refuseUnknownItems) {
                List<Long> missing = new ArrayList<>();
                for (int r = 0; r < ids.length && missing.size() < 10; r++) {
                    if (rows[r] < 0) {
                        missing.add(ids[r]);
                    }
                }
                throw RankerException.badRequest(unknown + " itemIds are not in model version " + model.version()
                        + "'s item snapshot (" + snapshot.items() + " items), e.g. " + missing
                        + " (rankops.ranker.unknown-items=refuse)");
            }
            metrics.recordUnknownItems(arm, unknown);
        }
        return rows;
    }

    private static Number contextValue(String name, Map<String, Number> context, RankingModel model) {
        Number value = context.get(name);
        if (value == null) {
            String where = model.itemSnapshot() == null
                    ? " (model version " + model.version() + " has no item snapshot: send item features in"
                            + " candidateFeatures, or candidates with their features)"
                    : "";
            throw RankerException.badRequest("missing feature '" + name + "': send it in context or as a"
                    + " candidateFeatures column" + where);
        }
        return value;
    }

    private static float finiteFloat(String name, double value, long itemId) {
        float asFloat = (float) value;
        if (!Float.isFinite(asFloat)) {
            throw RankerException.badRequest("feature '" + name + "' must be a finite float32 number, got " + value
                    + " (item " + itemId + ")");
        }
        return asFloat;
    }

    private static long categoricalId(String name, double value, FeatureSpec spec, long itemId) {
        if (!Double.isFinite(value) || value != Math.rint(value) || Math.abs(value) >= 0x1p63) {
            throw RankerException.badRequest("feature '" + name + "' is a categorical id and must be an integer, got "
                    + value + " (item " + itemId + ")");
        }
        return checkedId(name, (long) value, spec, itemId, value);
    }

    private static long checkedId(String name, long id, FeatureSpec spec, long itemId, Object shown) {
        if (id < 0) {
            throw RankerException.badRequest("feature '" + name + "' is a categorical id and cannot be negative, got "
                    + shown + " (item " + itemId + ")");
        }
        if (name.equals(spec.regionColumn()) && !spec.regions().isEmpty() && id >= spec.regions().size()) {
            throw RankerException.badRequest("feature '" + name + "' is the region code: 0 to " + (spec.regions().size() - 1)
                    + " for " + spec.regions() + ", got " + shown + " (item " + itemId + ")");
        }
        return id;
    }

    private static void readableFeatures(RankRequest request, FeatureSpec spec, long[] cat, float[] num) {
        List<RankRequest.Candidate> candidates = request.candidates();
        int rows = candidates.size();
        int nCat = spec.categorical().size();
        int nNum = spec.numerical().size();
        Map<String, Number> context = request.context() == null ? Map.of() : request.context();
        Long regionCode = regionCode(request.region(), spec);
        for (int r = 0; r < rows; r++) {
            RankRequest.Candidate candidate = candidates.get(r);
            Map<String, Number> own = candidate.features() == null ? Map.of() : candidate.features();
            for (int c = 0; c < nCat; c++) {
                String name = spec.categorical().get(c);
                cat[r * nCat + c] = regionCode != null && name.equals(spec.regionColumn()) ? regionCode
                        : categoricalId(name, feature(name, own, context, candidate), spec, candidate.itemId());
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
    }

    /**
     * A categorical id as the model takes it: a non-negative integer. Ids at or above a column's
     * cardinality are in its vocabulary (the model maps them to {@code id mod cardinality}, so new
     * users and items need no vocabulary file: docs/models.md); the region column's vocabulary is
     * the spec's regions.
     */
    private static long categoricalId(String name, Number value, FeatureSpec spec, long itemId) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return checkedId(name, value.longValue(), spec, itemId, value);
        }
        if (value instanceof BigInteger big) {
            if (big.bitLength() > 63) {
                throw RankerException.badRequest("feature '" + name + "' is a categorical id outside int64, got " + value
                        + " (item " + itemId + ")");
            }
            return checkedId(name, big.longValue(), spec, itemId, value);
        }
        double asDouble = value.doubleValue();
        if (!Double.isFinite(asDouble) || asDouble != Math.rint(asDouble) || Math.abs(asDouble) >= 0x1p63) {
            throw RankerException.badRequest("feature '" + name + "' is a categorical id and must be an integer, got "
                    + value + " (item " + itemId + ")");
        }
        return checkedId(name, (long) asDouble, spec, itemId, value);
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
