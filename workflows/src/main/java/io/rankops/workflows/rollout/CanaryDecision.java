package io.rankops.workflows.rollout;

import java.util.List;

/**
 * One judgement of one step, with the numbers it rests on, as recorded and shown. The
 * "champion" numbers are the reference arm's: the champion, or the baseline while none exists.
 *
 * @param championOrdersPerUser the reference arm's orders per user (NaN when no arm was compared)
 * @param zScore                one-sided test statistic of candidate minus reference orders per user
 *                              (NaN when not judged, −∞ when the reference is certain and better)
 * @param comparedWith          {@link #CHAMPION} or {@link #BASELINE}; null when nothing was compared
 * @param championVersion       the champion version compared with; null when compared with the baseline
 */
public record CanaryDecision(double trafficPercent, CanaryVerdict verdict, List<String> reasons,
        double championOrdersPerUser, double candidateOrdersPerUser, long championUsers, long candidateUsers,
        double zScore, long decidedAtMillis, String comparedWith, String championVersion) {

    public static final String CHAMPION = "champion";
    public static final String BASELINE = "baseline";
}
