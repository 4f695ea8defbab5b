package io.rankops.workflows.pipeline;

import io.rankops.workflows.pipeline.records.EvaluationReport;
import io.rankops.workflows.pipeline.records.GateVerdict;
import io.rankops.workflows.pipeline.records.ModelScores;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static io.rankops.workflows.pipeline.PipelineFixtures.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GateTest {

    private static final GatePolicy POLICY = new GatePolicy(10, 0.40, 0.02, Map.of("US", 0.45, "DE", 0.40));

    @Test
    void passesWhenEveryCheckHolds() {
        GateVerdict verdict = Gate.evaluate(POLICY, report(0.50, 0.50));
        assertTrue(verdict.passed(), verdict.failures().toString());
        assertEquals(0.50, verdict.candidateWeightedRecall());
        assertEquals(0.50, verdict.championWeightedRecall());
        assertEquals(4, verdict.passedChecks().size(), verdict.passedChecks().toString());
    }

    @Test
    void failsBelowTheAbsoluteFloorAndSaysBy() {
        GateVerdict verdict = Gate.evaluate(POLICY, report(0.38, null));
        assertFalse(verdict.passed());
        assertTrue(verdict.failures().get(0).contains("WR@10 0.3800 is below the minimum 0.4000"), verdict.failures().toString());
    }

    @Test
    void allowsRegressionUpToTheLimitAndNoFurther() {
        assertTrue(Gate.evaluate(POLICY, report(0.49, 0.50)).passed(), "2 % drop is allowed");
        GateVerdict verdict = Gate.evaluate(POLICY, report(0.48, 0.50));
        assertFalse(verdict.passed());
        assertTrue(verdict.failures().get(0).contains("vs champion 0.5000: -4.00 %"), verdict.failures().toString());
    }

    @Test
    void withoutAChampionOnlyTheFloorsApply() {
        GateVerdict verdict = Gate.evaluate(POLICY, report(0.50, null));
        assertTrue(verdict.passed());
        assertTrue(verdict.passedChecks().contains("no champion yet: nothing to regress against"));
    }

    @Test
    void checksEveryRegionFloorAndAMissingRegionFails() {
        GatePolicy policy = new GatePolicy(10, 0.1, 1.0, Map.of("DE", 0.47, "BR", 0.1));
        GateVerdict verdict = Gate.evaluate(policy, report(0.50, null));
        assertEquals(List.of("region BR has no WR@10 in the report (floor 0.1000)",
                "region DE WR@10 0.4500 is below its floor 0.4700"), verdict.failures());
    }

    @Test
    void aDeadTaskFailsTheGate() {
        EvaluationReport healthy = report(0.6, null);
        EvaluationReport dead = new EvaluationReport(healthy.reportUri(), healthy.candidate(), null, "additive",
                List.of("cart"));
        GateVerdict verdict = Gate.evaluate(new GatePolicy(10, 0.1, 1.0, Map.of()), dead);
        assertFalse(verdict.passed());
        assertTrue(verdict.failures().get(0).contains("dead tasks"), verdict.failures().toString());
    }

    @Test
    void aReportWithoutThePolicysKFails() {
        GateVerdict verdict = Gate.evaluate(new GatePolicy(50, 0.1, 1.0, Map.of()), report(0.6, null));
        assertFalse(verdict.passed());
        assertEquals(List.of("the evaluation report has no WR@50 for the candidate"), verdict.failures());
    }

    @Test
    void aPrerankGateJudgesTheCandidateSetMetricAndNamesIt() {
        ModelScores displayedOnly = report(0.9, null).candidate();
        ModelScores candidate = new ModelScores(displayedOnly.weightedRecallAtK(), displayedOnly.auc(),
                displayedOnly.regionWeightedRecallAtK(), Map.of("100", 0.62), Map.of("SG", Map.of("100", 0.55)), null);
        ModelScores champion = new ModelScores(Map.of("100", 0.99), Map.of(), Map.of(), Map.of("100", 0.64), Map.of(), null);
        GatePolicy policy = new GatePolicy(100, 0.5, 0.02, Map.of("SG", 0.6), GateMetric.PRERANK_WR.wire());
        GateVerdict verdict = Gate.evaluate(policy,
                new EvaluationReport("s3://rankops/reports/r.json", candidate, champion, "additive", List.of()));
        assertFalse(verdict.passed());
        assertEquals("prerank_wr", verdict.metric());
        assertEquals(0.62, verdict.candidateWeightedRecall());
        assertEquals(0.64, verdict.championWeightedRecall(), "the champion's pre-rank WR, not its displayed WR@100");
        assertEquals(List.of("pre-rank WR@100 0.6200 vs champion 0.6400: -3.13 % (allowed regression 2.00 %)",
                "region SG pre-rank WR@100 0.5500 is below its floor 0.6000"), verdict.failures());
    }

    @Test
    void aPrerankGateOnEventsWithoutCandidateSetsSaysWhatToDo() {
        GateVerdict verdict = Gate.evaluate(new GatePolicy(10, 0.1, 1.0, Map.of(), "prerank_wr"), report(0.6, null));
        assertFalse(verdict.passed());
        assertEquals(List.of("the evaluation report has no pre-rank WR@10 for the candidate (its events record no "
                + "candidate sets; gate on displayed_wr instead)"), verdict.failures());
    }

    @Test
    void aPolicyFromBeforeTheChoiceJudgesTheDisplayedList() {
        GateVerdict verdict = Gate.evaluate(new GatePolicy(10, 0.1, 1.0, Map.of(), null), report(0.6, null));
        assertTrue(verdict.passed());
        assertEquals("displayed_wr", verdict.metric());
    }
}
