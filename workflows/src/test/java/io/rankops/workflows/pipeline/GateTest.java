package io.rankops.workflows.pipeline;

import io.rankops.workflows.pipeline.records.EvaluationReport;
import io.rankops.workflows.pipeline.records.GateVerdict;
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
}
