package io.rankops.api.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankops.workflows.pipeline.PipelineStep;
import io.rankops.workflows.pipeline.records.StepEvent;
import io.rankops.workflows.pipeline.records.StepStatus;
import org.junit.jupiter.api.Test;

/** The rules the PL/pgSQL trigger had, now in Java: one case per way a run moves. */
class RunProjectionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static RunProjection project(PipelineStep step, StepStatus status, String detail) throws Exception {
        JsonNode parsed = detail == null ? null : JSON.readTree(detail);
        return RunProjection.of(StepEvent.of("run-1", 5, step, status, detail, 0), "EARLIER", "earlier reason", parsed);
    }

    @Test
    void aStepInProgressKeepsTheRunRunning() throws Exception {
        RunProjection p = project(PipelineStep.TRAIN, StepStatus.COMPLETED, "{\"epochs\": 3}");
        assertEquals(new RunProjection(RunStatus.RUNNING, "train", "EARLIER", "earlier reason"), p);
    }

    @Test
    void theApprovalWaitIsItsOwnStatusWhateverItsEvent() throws Exception {
        assertEquals(RunStatus.AWAITING_APPROVAL, project(PipelineStep.AWAIT_APPROVAL, StepStatus.STARTED, null).status());
        assertEquals(RunStatus.AWAITING_APPROVAL, project(PipelineStep.AWAIT_APPROVAL, StepStatus.REMINDED, null).status());
        assertEquals(RunStatus.AWAITING_APPROVAL, project(PipelineStep.AWAIT_APPROVAL, StepStatus.APPROVED, null).status());
    }

    @Test
    void theDoneEventClosesTheRunWithItsOutcomeAndReason() throws Exception {
        RunProjection p = project(PipelineStep.DONE, StepStatus.ROLLED_BACK, "{\"reason\": \"orders fell 4 %\"}");
        assertEquals(new RunProjection(RunStatus.ROLLED_BACK, "done", "ROLLED_BACK", "orders fell 4 %"), p);
        assertEquals(RunStatus.GATE_FAILED, project(PipelineStep.DONE, StepStatus.GATE_FAILED, "{}").status());
    }

    @Test
    void aFailureOutsideTheGateClosesTheRunWithTheError() throws Exception {
        RunProjection p = project(PipelineStep.EXTRACT, StepStatus.FAILED, "{\"error\": \"events/day=3: no column 'region'\"}");
        assertEquals(new RunProjection(RunStatus.FAILED, "extract", "FAILED", "events/day=3: no column 'region'"), p);
    }

    @Test
    void theGatesVerdictIsNotACrash() throws Exception {
        RunProjection p = project(PipelineStep.GATE, StepStatus.FAILED, "{\"passed\": false}");
        assertEquals(new RunProjection(RunStatus.RUNNING, "gate", "EARLIER", "earlier reason"), p);
    }

    @Test
    void cancellationAtAnyStepClosesTheRun() throws Exception {
        RunProjection p = project(PipelineStep.ROLLOUT, StepStatus.CANCELLED, "{}");
        assertEquals(new RunProjection(RunStatus.CANCELLED, "rollout", "CANCELLED", "earlier reason"), p);
    }
}
