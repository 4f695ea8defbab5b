package io.rankops.ranker.api;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.rankops.ranker.grpc.Column;
import io.rankops.ranker.grpc.Probabilities;
import io.rankops.ranker.grpc.Ranker;
import io.rankops.ranker.serving.Ranked;
import io.rankops.ranker.serving.RankerException;
import io.rankops.ranker.serving.RankingService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The binary ranking path (src/main/proto/rank.proto): the compact form of POST /v1/rank as
 * protobuf, served by the same {@link RankingService} on the HTTP port. Open like POST /v1/rank.
 * Scoring runs on a worker thread, never on the event loop. A refusal carries the JSON path's
 * message with the matching status: 400 INVALID_ARGUMENT, 413 RESOURCE_EXHAUSTED, 409
 * ALREADY_EXISTS, 5xx INTERNAL.
 */
@GrpcService
public class GrpcRanker implements Ranker {

    private final RankingService ranking;

    public GrpcRanker(RankingService ranking) {
        this.ranking = ranking;
    }

    @Override
    @Blocking
    public Uni<io.rankops.ranker.grpc.RankResponse> rank(io.rankops.ranker.grpc.RankRequest request) {
        try {
            return Uni.createFrom().item(answer(ranking.rank(compact(request))));
        } catch (RankerException e) {
            return Uni.createFrom().failure(status(e.status()).withDescription(e.getMessage()).asRuntimeException());
        }
    }

    private static Status status(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> Status.INVALID_ARGUMENT;
            case 409 -> Status.ALREADY_EXISTS;
            case 413 -> Status.RESOURCE_EXHAUSTED;
            default -> Status.INTERNAL;
        };
    }

    /** The protobuf request as the compact form; unset fields are the JSON form's absent ones. */
    static RankRequest compact(io.rankops.ranker.grpc.RankRequest request) {
        long[] itemIds = new long[request.getItemIdsCount()];
        for (int i = 0; i < itemIds.length; i++) {
            itemIds[i] = request.getItemIds(i);
        }
        Map<String, Number> context = Collections.unmodifiableMap(request.getContextMap());
        Integer deadlineMs = request.hasDeadlineMs()
                ? (int) Math.min(Integer.toUnsignedLong(request.getDeadlineMs()), Integer.MAX_VALUE) : null;
        return new RankRequest(request.getRequestId().isEmpty() ? null : request.getRequestId(),
                request.hasUserId() ? request.getUserId() : null, request.getRegion().isEmpty() ? null : request.getRegion(),
                context, null, itemIds, columns(request.getCandidateFeaturesMap()), columns(request.getOverridesMap()),
                request.getProbabilities(), deadlineMs);
    }

    private static Map<String, double[]> columns(Map<String, Column> columns) {
        if (columns.isEmpty()) {
            return null;
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Column> column : columns.entrySet()) {
            Column values = column.getValue();
            double[] array = new double[values.getValuesCount()];
            for (int i = 0; i < array.length; i++) {
                array[i] = values.getValues(i);
            }
            out.put(column.getKey(), array);
        }
        return out;
    }

    static io.rankops.ranker.grpc.RankResponse answer(Ranked ranked) {
        io.rankops.ranker.grpc.RankResponse.Builder answer = io.rankops.ranker.grpc.RankResponse.newBuilder()
                .setRequestId(ranked.requestId()).setFeedbackToken(ranked.feedbackToken()).setArm(ranked.arm())
                .setTimedOut(ranked.timedOut());
        if (ranked.modelVersion() != null) {
            answer.setModelVersion(ranked.modelVersion());
        }
        for (long id : ranked.itemIds()) {
            answer.addItemIds(id);
        }
        if (ranked.scores() != null) {
            for (float score : ranked.scores()) {
                answer.addScores(score);
            }
        }
        if (ranked.probabilities() != null) {
            for (Map.Entry<String, float[]> task : ranked.probabilities().entrySet()) {
                Probabilities.Builder values = Probabilities.newBuilder();
                for (float p : task.getValue()) {
                    values.addValues(p);
                }
                answer.putProbabilities(task.getKey(), values.build());
            }
        }
        return answer.build();
    }
}
