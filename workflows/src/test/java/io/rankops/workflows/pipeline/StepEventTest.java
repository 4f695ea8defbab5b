package io.rankops.workflows.pipeline;

import io.rankops.workflows.pipeline.records.StepEvent;
import io.rankops.workflows.pipeline.records.StepStatus;
import io.rankops.workflows.rollout.RolloutOutcome;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepEventTest {

    @Test
    void theWireFormIsWhatTheCommittedHistoriesCarry() throws Exception {
        StepEvent event = StepEvent.of("run-1", 3, PipelineStep.AWAIT_APPROVAL, StepStatus.ROLLED_BACK, null, 7L);
        String json = JacksonJsonPayloadConverter.newDefaultObjectMapper().writeValueAsString(event);
        assertTrue(json.contains("\"step\":\"await_approval\""), json);
        assertTrue(json.contains("\"status\":\"rolled_back\""), json);
        assertEquals(event, JacksonJsonPayloadConverter.newDefaultObjectMapper().readValue(json, StepEvent.class));
    }

    @Test
    void everyOutcomeHasAStatus() {
        Arrays.stream(PipelineOutcome.values()).forEach(o -> assertEquals(o.name(), StepStatus.of(o).name()));
        Arrays.stream(RolloutOutcome.values()).forEach(o -> assertEquals(o.name(), StepStatus.of(o).name()));
    }

    @Test
    void unknownStepsAndStatusesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StepEvent("run-1", 1, "deploy", StepStatus.STARTED, null, 0));
        assertThrows(IllegalArgumentException.class, () -> StepStatus.fromWire("finished"));
    }
}
