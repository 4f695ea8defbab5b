package io.rankops.workflows.rollout;

import java.util.List;

/**
 * One judgement of one step, with the numbers it rests on, as recorded and shown.
 *
 * @param zScore one-sided test statistic of candidate minus champion orders per user (NaN when not judged)
 */
public record CanaryDecision(double trafficPercent, CanaryVerdict verdict, List<String> reasons,
        double championOrdersPerUser, double candidateOrdersPerUser, long championUsers, long candidateUsers,
        double zScore, long decidedAtMillis) {
}
