package io.rankops.ranker.serving;

import ai.onnxruntime.OrtException;
import io.rankops.ranker.api.RankRequest;
import io.rankops.ranker.api.RankResponse;
import io.rankops.ranker.model.FeatureSpec;
import io.rankops.ranker.model.RankingModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Serves one ranking request: picks the arm (sticky traffic split; the caller's own order while
 * no champion exists), builds the two input tensors
 * in the model's feature-spec order, scores every candidate in one ONNX Runtime run, orders by
 * the fused score and remembers who served the request for feedback.
 */
@ApplicationScoped
public class RankingService {

    private final ServingModels models;
    private final TrafficSplit traffic;
    private final ArmMetrics metrics;
    private final FeedbackLog feedback;

    public RankingService(ServingModels models, TrafficSplit traffic, ArmMetrics metrics, FeedbackLog feedback) {
        this.models = models;
        this.traffic = traffic;
        this.metrics = metrics;
        this.feedback = feedback;
    }

    public RankResponse rank(RankRequest request) {
        long start = System.nanoTime();
        validate(request);
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
            return served(request, callersOrder(request), Arm.BASELINE, null, metrics.statsFor(Arm.BASELINE, null),
                    start);
        }
        ArmStats stats = metrics.statsFor(arm, model.version());
        try {
            return served(request, score(request, arm, model), arm, model.version(), stats, start);
        } catch (RuntimeException e) {
            long elapsed = System.nanoTime() - start;
            stats.recordError(elapsed);
            metrics.recordLatency(arm, elapsed);
            throw e;
        } finally {
            model.release();
        }
    }

    /** Counts a served ranking for its arm and remembers who served it, for feedback. */
    private RankResponse served(RankRequest request, RankResponse response, Arm arm, String version, ArmStats stats,
            long start) {
        long elapsed = System.nanoTime() - start;
        stats.recordServed(request.userId(), response.items().size(), elapsed);
        metrics.recordLatency(arm, elapsed);
        feedback.remember(new FeedbackLog.Served(response.requestId(), arm, version, request.userId(),
                request.candidates().stream().mapToLong(RankRequest.Candidate::itemId).toArray(), stats));
        return response;
    }

    /** The baseline arm's answer: the candidates as the caller sent them, no scores. */
    private static RankResponse callersOrder(RankRequest request) {
        List<RankRequest.Candidate> candidates = request.candidates();
        List<RankResponse.RankedItem> items = new ArrayList<>(candidates.size());
        for (int position = 0; position < candidates.size(); position++) {
            items.add(new RankResponse.RankedItem(candidates.get(position).itemId(), null, Map.of(), position));
        }
        return new RankResponse(requestId(request), Arm.BASELINE.alias(), null, items);
    }

    private static String requestId(RankRequest request) {
        return request.requestId() == null || request.requestId().isBlank()
                ? UUID.randomUUID().toString() : request.requestId();
    }

    private static void validate(RankRequest request) {
        if (request == null) {
            throw RankerException.badRequest("the request needs a JSON body");
        }
        if (request.userId() == null) {
            throw RankerException.badRequest("userId is required");
        }
        if (request.candidates() == null || request.candidates().isEmpty()) {
            throw RankerException.badRequest("candidates must list at least one item");
        }
        for (int i = 0; i < request.candidates().size(); i++) {
            RankRequest.Candidate candidate = request.candidates().get(i);
            if (candidate == null || candidate.itemId() == null) {
                throw RankerException.badRequest("candidates[" + i + "] has no itemId");
            }
        }
    }

    private static RankResponse score(RankRequest request, Arm arm, RankingModel model) {
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
                Number value = regionCode != null && name.equals(spec.regionColumn()) ? regionCode : feature(name, own, context, candidate);
                double asDouble = value.doubleValue();
                if (asDouble != Math.rint(asDouble)) {
                    throw RankerException.badRequest("feature '" + name + "' is a categorical id and must be an integer, got "
                            + value + " (item " + candidate.itemId() + ")");
                }
                cat[r * nCat + c] = value.longValue();
            }
            for (int c = 0; c < nNum; c++) {
                num[r * nNum + c] = feature(spec.numerical().get(c), own, context, candidate).floatValue();
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
        return new RankResponse(requestId(request), arm.alias(), model.version(), items);
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
