package io.rankops.api.rollouts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rankops.workflows.rollout.CanaryDecision;
import io.rankops.workflows.rollout.CanaryVerdict;
import io.rankops.workflows.rollout.RolloutStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutViewTest {

    @Test
    void aJudgedStepWhoseZIsNotFiniteIsNullAndKeepsItsReference() {
        CanaryDecision certain = new CanaryDecision(20, CanaryVerdict.ROLL_BACK, List.of("fewer orders"), 0.30, 0.10,
                500, 50, Double.NEGATIVE_INFINITY, 7, CanaryDecision.BASELINE, null);
        CanaryDecision unjudged = new CanaryDecision(20, CanaryVerdict.EXTEND, List.of("too few users"), Double.NaN,
                Double.NaN, 0, 0, Double.NaN, 8, null, null);

        RolloutView view = RolloutView.of(new RolloutStatus("run-1", "rankops-ranker", "1", 20, false,
                List.of(certain, unjudged), null));

        RolloutView.Decision judged = view.decisions().get(0);
        assertNull(judged.zScore());
        assertEquals(0.30, judged.championOrdersPerUser());
        assertEquals(CanaryDecision.BASELINE, judged.comparedWith());
        RolloutView.Decision waiting = view.decisions().get(1);
        assertNull(waiting.zScore());
        assertNull(waiting.championOrdersPerUser());
        assertNull(waiting.candidateOrdersPerUser());
        assertEquals("rankops-ranker", view.modelName());
    }

    @Test
    void aStatusWithoutDecisionsHasAnEmptyList() {
        assertEquals(List.of(), RolloutView.of(new RolloutStatus(null, null, null, 0, false, null, null)).decisions());
    }
}
