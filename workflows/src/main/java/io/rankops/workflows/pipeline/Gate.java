package io.rankops.workflows.pipeline;

import io.rankops.workflows.pipeline.records.EvaluationReport;
import io.rankops.workflows.pipeline.records.GateVerdict;
import io.rankops.workflows.pipeline.records.ModelScores;
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
        GateMetric metric = policy.gateMetric();
        String name = metric.label(k);
        List<String> failures = new ArrayList<>();
        List<String> passes = new ArrayList<>();

        Double candidate = at(metric, report.candidate(), k);
        if (candidate == null) {
            String why = metric == GateMetric.PRERANK_WR && report.candidate().prerankWeightedRecallAtK() == null
                    ? " (its events record no candidate sets; gate on displayed_wr instead)" : "";
            return new GateVerdict(false, k, Double.NaN, null,
                    List.of("the evaluation report has no " + name + " for the candidate" + why), List.of(),
                    metric.wire());
        }
        check(candidate >= policy.minWeightedRecall(), failures, passes,
                "%s %.4f %s the minimum %.4f", name, candidate,
                candidate >= policy.minWeightedRecall() ? "meets" : "is below", policy.minWeightedRecall());

        Double champion = report.champion() == null ? null : at(metric, report.champion(), k);
        if (champion != null && champion > 0) {
            double regression = (champion - candidate) / champion;
            check(regression <= policy.maxRegression() + TOLERANCE, failures, passes,
                    "%s %.4f vs champion %.4f: %+.2f %% (allowed regression %.2f %%)", name, candidate, champion,
                    -regression * 100, policy.maxRegression() * 100);
        } else {
            passes.add("no champion yet: nothing to regress against");
        }

        Map<String, Map<String, Double>> regions = metric == GateMetric.PRERANK_WR
                ? report.candidate().regionPrerankWeightedRecallAtK() : report.candidate().regionWeightedRecallAtK();
        for (Map.Entry<String, Double> floor : new TreeMap<>(policy.regionFloors()).entrySet()) {
            Double regional = regions == null || regions.get(floor.getKey()) == null
                    ? null : regions.get(floor.getKey()).get(Integer.toString(k));
            if (regional == null) {
                failures.add(String.format(Locale.ROOT, "region %s has no %s in the report (floor %.4f)",
                        floor.getKey(), name, floor.getValue()));
            } else {
                check(regional >= floor.getValue(), failures, passes, "region %s %s %.4f %s its floor %.4f",
                        floor.getKey(), name, regional, regional >= floor.getValue() ? "meets" : "is below",
                        floor.getValue());
            }
        }

        if (report.deadTasks() != null && !report.deadTasks().isEmpty()) {
            failures.add("dead tasks (no signal, AUC about 0.5): " + String.join(", ", report.deadTasks()));
        }

        return new GateVerdict(failures.isEmpty(), k, candidate, champion, List.copyOf(failures), List.copyOf(passes),
                metric.wire());
    }

    private static Double at(GateMetric metric, ModelScores scores, int k) {
        Map<String, Double> byK = metric == GateMetric.PRERANK_WR ? scores.prerankWeightedRecallAtK()
                : scores.weightedRecallAtK();
        return byK == null ? null : byK.get(Integer.toString(k));
    }

    private static void check(boolean ok, List<String> failures, List<String> passes, String format, Object... args) {
        (ok ? passes : failures).add(String.format(Locale.ROOT, format, args));
    }

    private Gate() {
    }
}
