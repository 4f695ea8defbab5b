package io.rankops.workflows.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The written rule for one canary step, a pure function so the workflow stays deterministic.
 * The candidate is compared with the champion arm, or, while no champion exists, with the
 * baseline arm (buyers get the caller's own order: today's ranking), by the same rule.
 *
 * <ol>
 *   <li>Sample size: fewer than {@code minUsersPerArm} users in the candidate or the reference arm → {@link CanaryVerdict#EXTEND}.</li>
 *   <li>Guardrails: error rate above the champion's by more than {@code maxErrorRateIncrease}, or p99
 *       latency above {@code maxP99LatencyRatio} × the champion's and more than
 *       {@value #LATENCY_NOISE_FLOOR_MS} ms above it → {@link CanaryVerdict#ROLL_BACK}. Against the
 *       baseline (which runs no model) latency is reported, not compared.</li>
 *   <li>Orders per user, one-sided Welch z-test of H0 "candidate ≥ champion":
 *       z = (m_cand − m_champ) / sqrt(v_cand/n_cand + v_champ/n_champ); z below the
 *       normal quantile of {@code alpha} (−1.645 at 5 %) → {@link CanaryVerdict#ROLL_BACK}.</li>
 *   <li>Otherwise {@link CanaryVerdict#CONTINUE}.</li>
 * </ol>
 */
public final class CanaryAnalysis {

    /**
     * p99 differences below this are scheduler noise, not a slower model: a 0.5 ms champion and a
     * 0.8 ms candidate differ by 1.6x and mean nothing to a buyer.
     */
    static final double LATENCY_NOISE_FLOOR_MS = 5.0;

    public static CanaryDecision judge(RolloutPolicy policy, double trafficPercent, ArmSnapshot snapshot,
            long nowMillis) {
        ArmMetrics candidate = snapshot.candidate();
        ArmMetrics reference = snapshot.reference();
        List<String> reasons = new ArrayList<>();
        if (reference == null) {
            reasons.add("no champion serves: nothing to compare with, the candidate goes on");
            return decision(trafficPercent, CanaryVerdict.CONTINUE, reasons, snapshot, Double.NaN, nowMillis);
        }
        boolean vsBaseline = snapshot.champion() == null;
        String versus = vsBaseline ? "baseline (no champion yet)" : "champion v" + reference.modelVersion();
        String ref = vsBaseline ? "baseline" : "champion";
        if (candidate.users() < policy.minUsersPerArm() || reference.users() < policy.minUsersPerArm()) {
            reasons.add(format("too few users to judge: candidate %d, %s %d (need %d each)",
                    candidate.users(), versus, reference.users(), policy.minUsersPerArm()));
            return decision(trafficPercent, CanaryVerdict.EXTEND, reasons, snapshot, Double.NaN, nowMillis);
        }

        List<String> broken = new ArrayList<>();
        double errorIncrease = candidate.errorRate() - reference.errorRate();
        if (errorIncrease > policy.maxErrorRateIncrease()) {
            broken.add(format("error rate %.4f vs %s %.4f exceeds the allowed increase %.4f",
                    candidate.errorRate(), ref, reference.errorRate(), policy.maxErrorRateIncrease()));
        }
        // The baseline runs no model, so its latency says nothing about what a model may cost.
        if (!vsBaseline && candidate.latencyP99Ms() > policy.maxP99LatencyRatio() * reference.latencyP99Ms()
                && candidate.latencyP99Ms() - reference.latencyP99Ms() > LATENCY_NOISE_FLOOR_MS) {
            broken.add(format("p99 latency %.1f ms vs %s %.1f ms exceeds %.2fx",
                    candidate.latencyP99Ms(), versus, reference.latencyP99Ms(), policy.maxP99LatencyRatio()));
        }

        double standardError = Math.sqrt(candidate.ordersPerUserVariance() / candidate.users()
                + reference.ordersPerUserVariance() / reference.users());
        double difference = candidate.ordersPerUser() - reference.ordersPerUser();
        double z = standardError > 0 ? difference / standardError : (difference < 0 ? Double.NEGATIVE_INFINITY : 0);
        double critical = -normalQuantile(1 - policy.alpha());
        String test = format("orders/user %.4f vs %s %.4f (z = %.2f, reject below %.2f)",
                candidate.ordersPerUser(), versus, reference.ordersPerUser(), z, critical);
        if (z < critical) {
            broken.add("significantly fewer orders per user: " + test);
        }

        if (!broken.isEmpty()) {
            return decision(trafficPercent, CanaryVerdict.ROLL_BACK, broken, snapshot, z, nowMillis);
        }
        reasons.add("no significant harm: " + test);
        reasons.add(vsBaseline
                ? format("guardrails hold: error rate %.4f (baseline %.4f), p99 %.1f ms (not compared: the baseline"
                        + " runs no model)", candidate.errorRate(), reference.errorRate(), candidate.latencyP99Ms())
                : format("guardrails hold: error rate %.4f (%s %.4f), p99 %.1f ms (%s %.1f ms)", candidate.errorRate(),
                        ref, reference.errorRate(), candidate.latencyP99Ms(), ref, reference.latencyP99Ms()));
        return decision(trafficPercent, CanaryVerdict.CONTINUE, reasons, snapshot, z, nowMillis);
    }

    private static CanaryDecision decision(double percent, CanaryVerdict verdict, List<String> reasons,
            ArmSnapshot snapshot, double z, long nowMillis) {
        ArmMetrics reference = snapshot.reference();
        ArmMetrics candidate = snapshot.candidate();
        String comparedWith = snapshot.champion() != null ? CanaryDecision.CHAMPION
                : reference != null ? CanaryDecision.BASELINE : null;
        return new CanaryDecision(percent, verdict, List.copyOf(reasons),
                reference == null ? Double.NaN : reference.ordersPerUser(), candidate.ordersPerUser(),
                reference == null ? 0 : reference.users(), candidate.users(), z, nowMillis, comparedWith,
                snapshot.champion() == null ? null : snapshot.champion().modelVersion());
    }

    /**
     * Inverse of the standard normal CDF (Acklam's rational approximation, relative error
     * below 1.2e-9), so no statistics library is needed in deterministic workflow code.
     */
    static double normalQuantile(double p) {
        if (p <= 0 || p >= 1) {
            throw new IllegalArgumentException("p must be in (0, 1): " + p);
        }
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    private CanaryAnalysis() {
    }
}
