package io.rankops.workflows.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CanaryAnalysisTest {

    private static final RolloutPolicy POLICY = RolloutPolicy.standard(Duration.ofMinutes(10));

    static ArmMetrics arm(long users, double ordersPerUser, double variance, double errorRate, double p99) {
        return new ArmMetrics("1", users * 3, users, users * 60, users * 6, users, Math.round(users * ordersPerUser),
                Math.round(users * 3 * errorRate), ordersPerUser, variance, 0.1, errorRate, p99 / 3, p99);
    }

    private static CanaryDecision judge(ArmMetrics champion, ArmMetrics candidate) {
        return CanaryAnalysis.judge(POLICY, 5, new ArmSnapshot(champion, candidate, null), 0);
    }

    @Test
    void normalQuantileMatchesTheTables() {
        assertEquals(1.6448536, CanaryAnalysis.normalQuantile(0.95), 1e-6);
        assertEquals(-2.3263479, CanaryAnalysis.normalQuantile(0.01), 1e-6);
        assertEquals(0.0, CanaryAnalysis.normalQuantile(0.5), 1e-12);
    }

    @Test
    void equalArmsContinue() {
        CanaryDecision decision = judge(arm(5000, 0.30, 0.4, 0.001, 20), arm(500, 0.30, 0.4, 0.001, 21));
        assertEquals(CanaryVerdict.CONTINUE, decision.verdict(), decision.reasons().toString());
        assertEquals(0.0, decision.zScore(), 1e-9);
    }

    @Test
    void aSignificantDropInOrdersPerUserRollsBack() {
        // se = sqrt(0.4/500 + 0.4/5000) = 0.0297; z = -0.10 / 0.0297 = -3.37 < -1.645
        CanaryDecision decision = judge(arm(5000, 0.30, 0.4, 0.001, 20), arm(500, 0.20, 0.4, 0.001, 20));
        assertEquals(CanaryVerdict.ROLL_BACK, decision.verdict());
        assertEquals(-3.37, decision.zScore(), 0.01);
        assertTrue(decision.reasons().get(0).startsWith("significantly fewer orders per user"), decision.reasons().toString());
    }

    @Test
    void aDropWithinTheNoiseContinues() {
        // z = -0.03 / 0.0297 = -1.01: not significant at 5 %
        CanaryDecision decision = judge(arm(5000, 0.30, 0.4, 0.001, 20), arm(500, 0.27, 0.4, 0.001, 20));
        assertEquals(CanaryVerdict.CONTINUE, decision.verdict(), decision.reasons().toString());
    }

    @Test
    void tooFewUsersExtendTheBake() {
        CanaryDecision decision = judge(arm(5000, 0.30, 0.4, 0.001, 20), arm(150, 0.10, 0.4, 0.001, 20));
        assertEquals(CanaryVerdict.EXTEND, decision.verdict());
        assertTrue(decision.reasons().get(0).contains("candidate 150"), decision.reasons().toString());
    }

    @Test
    void guardrailsRollBackEvenWithGoodOrders() {
        CanaryDecision errors = judge(arm(5000, 0.30, 0.4, 0.001, 20), arm(500, 0.35, 0.4, 0.02, 20));
        assertEquals(CanaryVerdict.ROLL_BACK, errors.verdict());
        assertTrue(errors.reasons().get(0).startsWith("error rate 0.0200"), errors.reasons().toString());

        CanaryDecision latency = judge(arm(5000, 0.30, 0.4, 0.001, 20), arm(500, 0.35, 0.4, 0.001, 31));
        assertEquals(CanaryVerdict.ROLL_BACK, latency.verdict());
        assertTrue(latency.reasons().get(0).startsWith("p99 latency 31.0 ms"), latency.reasons().toString());
    }

    @Test
    void subMillisecondLatencyDifferencesAreNoise() {
        CanaryDecision decision = judge(arm(5000, 0.30, 0.4, 0.001, 0.5), arm(500, 0.30, 0.4, 0.001, 0.9));
        assertEquals(CanaryVerdict.CONTINUE, decision.verdict(), decision.reasons().toString());
    }

    @Test
    void withNeitherChampionNorBaselineTheCandidateGoesOn() {
        // Only histories from before the ranker reported a baseline arm look like this.
        CanaryDecision decision = CanaryAnalysis.judge(POLICY, 5, new ArmSnapshot(null, arm(10, 0.1, 0.1, 0, 20), null), 0);
        assertEquals(CanaryVerdict.CONTINUE, decision.verdict());
        assertNull(decision.comparedWith());
    }

    @Test
    void withoutAChampionTheBaselineIsJudgedByTheSameRule() {
        ArmMetrics baseline = arm(5000, 0.30, 0.4, 0.001, 20);
        CanaryDecision worse = CanaryAnalysis.judge(POLICY, 5, new ArmSnapshot(null, arm(500, 0.20, 0.4, 0.001, 20), baseline), 0);
        assertEquals(CanaryVerdict.ROLL_BACK, worse.verdict());
        assertEquals(-3.37, worse.zScore(), 0.01);
        assertEquals(CanaryDecision.BASELINE, worse.comparedWith());
        assertNull(worse.championVersion());
        assertTrue(worse.reasons().get(0).contains("vs baseline (no champion yet)"), worse.reasons().toString());

        CanaryDecision better = CanaryAnalysis.judge(POLICY, 5, new ArmSnapshot(null, arm(500, 0.40, 0.4, 0.001, 20), baseline), 0);
        assertEquals(CanaryVerdict.CONTINUE, better.verdict(), better.reasons().toString());
        assertEquals(0.30, better.championOrdersPerUser(), 1e-12);
        assertEquals(5000, better.championUsers());

        CanaryDecision early = CanaryAnalysis.judge(POLICY, 5, new ArmSnapshot(null, arm(500, 0.40, 0.4, 0.001, 20),
                arm(120, 0.3, 0.4, 0.001, 20)), 0);
        assertEquals(CanaryVerdict.EXTEND, early.verdict());
        assertTrue(early.reasons().get(0).contains("baseline (no champion yet) 120"), early.reasons().toString());
    }

    @Test
    void againstTheBaselineLatencyIsNotComparedButErrorsAre() {
        ArmMetrics baseline = arm(5000, 0.30, 0.4, 0.0, 0.6);
        CanaryDecision slower = CanaryAnalysis.judge(POLICY, 5, new ArmSnapshot(null, arm(500, 0.30, 0.4, 0.0, 40), baseline), 0);
        assertEquals(CanaryVerdict.CONTINUE, slower.verdict(), slower.reasons().toString());
        assertTrue(slower.reasons().get(1).contains("not compared"), slower.reasons().toString());
        CanaryDecision failing = CanaryAnalysis.judge(POLICY, 5, new ArmSnapshot(null, arm(500, 0.30, 0.4, 0.05, 1), baseline), 0);
        assertEquals(CanaryVerdict.ROLL_BACK, failing.verdict(), failing.reasons().toString());
    }

    @Test
    void theChampionIsPreferredOverTheBaselineAndNamedByVersion() {
        CanaryDecision decision = CanaryAnalysis.judge(POLICY, 5, new ArmSnapshot(arm(5000, 0.30, 0.4, 0.001, 20),
                arm(500, 0.30, 0.4, 0.001, 20), arm(5000, 0.01, 0.01, 0.001, 20)), 0);
        assertEquals(CanaryDecision.CHAMPION, decision.comparedWith());
        assertEquals("1", decision.championVersion());
        assertEquals(0.30, decision.championOrdersPerUser(), 1e-12);
        assertTrue(decision.reasons().get(0).contains("vs champion v1"), decision.reasons().toString());
    }

    @Test
    void aCertainReferenceWithNoVarianceGivesAnInfiniteZAndRollsBack() {
        // Both arms without variance: any drop is certain; z is -infinity, which the API shows as null.
        CanaryDecision decision = judge(arm(5000, 0.30, 0.0, 0.001, 20), arm(500, 0.20, 0.0, 0.001, 20));
        assertEquals(CanaryVerdict.ROLL_BACK, decision.verdict());
        assertTrue(Double.isInfinite(decision.zScore()));
        CanaryDecision equal = judge(arm(5000, 0.30, 0.0, 0.001, 20), arm(500, 0.30, 0.0, 0.001, 20));
        assertEquals(CanaryVerdict.CONTINUE, equal.verdict());
        assertEquals(0.0, equal.zScore());
        CanaryDecision unjudged = judge(arm(5000, 0.30, 0.4, 0.001, 20), arm(10, 0.30, 0.4, 0.001, 20));
        assertTrue(Double.isNaN(unjudged.zScore()));
    }
}
