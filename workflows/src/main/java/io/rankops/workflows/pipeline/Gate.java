package io.rankops.workflows.pipeline;

import io.rankops.workflows.pipeline.records.EvaluationReport;
import io.rankops.workflows.pipeline.records.GateVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The offline gate: a pure function of the evaluation report and the policy, so the workflow
 * stays deterministic and the rule is tested without Temporal.
 */
public final class Gate {

    /** Floating-point slack, so a drop of exactly the allowed size is allowed. */
    static final double TOLERANCE = 1e-9;

    public static GateVerdict evaluate(GatePolicy policy, EvaluationReport report) {
        int k = policy.k();
        List<String> failures = new ArrayList<>();
        List<String> passes = new ArrayList<>();

        Double candidate = report.candidate().weightedRecallAt(k);
        if (candidate == null) {
            return new GateVerdict(false, k, Double.NaN, null,
                    List.of("the evaluation report has no WR@" + k + " for the candidate"), List.of());
        }
        check(candidate >= policy.minWeightedRecall(), failures, passes,
                "WR@%d %.4f %s the minimum %.4f", k, candidate,
                candidate >= policy.minWeightedRecall() ? "meets" : "is below", policy.minWeightedRecall());

        Double champion = report.champion() == null ? null : report.champion().weightedRecallAt(k);
        if (champion != null && champion > 0) {
            double regression = (champion - candidate) / champion;
            check(regression <= policy.maxRegression() + TOLERANCE, failures, passes,
                    "WR@%d %.4f vs champion %.4f: %+.2f %% (allowed regression %.2f %%)", k, candidate, champion,
                    -regression * 100, policy.maxRegression() * 100);
        } else {
            passes.add("no champion yet: nothing to regress against");
        }

        Map<String, Map<String, Double>> regions = report.candidate().regionWeightedRecallAtK();
        for (Map.Entry<String, Double> floor : new TreeMap<>(policy.regionFloors()).entrySet()) {
            Double regional = regions == null || regions.get(floor.getKey()) == null
                    ? null : regions.get(floor.getKey()).get(Integer.toString(k));
            if (regional == null) {
                failures.add(String.format(Locale.ROOT, "region %s has no WR@%d in the report (floor %.4f)",
                        floor.getKey(), k, floor.getValue()));
            } else {
                check(regional >= floor.getValue(), failures, passes, "region %s WR@%d %.4f %s its floor %.4f",
                        floor.getKey(), k, regional, regional >= floor.getValue() ? "meets" : "is below",
                        floor.getValue());
            }
        }

        if (report.deadTasks() != null && !report.deadTasks().isEmpty()) {
            failures.add("dead tasks (no signal, AUC about 0.5): " + String.join(", ", report.deadTasks()));
        }

        return new GateVerdict(failures.isEmpty(), k, candidate, champion, List.copyOf(failures), List.copyOf(passes));
    }

    private static void check(boolean ok, List<String> failures, List<String> passes, String format, Object... args) {
        (ok ? passes : failures).add(String.format(Locale.ROOT, format, args));
    }

    private Gate() {
    }
}
