package io.rankops.workflows.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankops.workflows.TaskQueues;
import io.rankops.workflows.pipeline.ApprovalDecision;
import io.rankops.workflows.pipeline.DataWindow;
import io.rankops.workflows.pipeline.GatePolicy;
import io.rankops.workflows.pipeline.PipelineOutcome;
import io.rankops.workflows.pipeline.PipelineRequest;
import io.rankops.workflows.pipeline.PipelineResult;
import io.rankops.workflows.pipeline.PipelineStatus;
import io.rankops.workflows.pipeline.PipelineStep;
import io.rankops.workflows.pipeline.TrainingParams;
import io.rankops.workflows.pipeline.TrainingPipelineWorkflow;
import io.rankops.workflows.pipeline.TrainingProgress;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScheduledRunWorkflowTest {

    /** Requests the fake pipeline received; workflow instances are made by the SDK, hence static. */
    static final List<PipelineRequest> PIPELINE_STARTS = new CopyOnWriteArrayList<>();

    private TestWorkflowEnvironment env;
    private WorkflowClient client;
    private final List<PipelineRequest> opened = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        PIPELINE_STARTS.clear();
        env = TestWorkflowEnvironment.newInstance();
        env.registerSearchAttribute(ScheduledRunWorkflowImpl.SCHEDULED_START_TIME.getName(),
                IndexedValueType.INDEXED_VALUE_TYPE_DATETIME);
        Worker worker = env.newWorker(TaskQueues.PIPELINE);
        worker.registerWorkflowImplementationTypes(ScheduledRunWorkflowImpl.class, FakePipeline.class);
        env.newWorker(TaskQueues.LEDGER).registerActivitiesImplementations((ScheduledRunActivities) opened::add);
        env.start();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    static ScheduledRunRequest weekly(String timeZone) {
        PipelineRequest template = new PipelineRequest(null, null, null, "rankops-ranker", "mmoe", false, null,
                List.of("US"), new TrainingParams(5, 512, 1e-3, 16, 2, 42L, Map.of()),
                new GatePolicy(10, 0.1, 0.02, Map.of()), "auto", Duration.ofHours(72), null);
        return new ScheduledRunRequest("weekly-mmoe", timeZone, 7, template);
    }

    private ScheduledRunResult startAsScheduleWould(String workflowId, ScheduledRunRequest request, OffsetDateTime nominal) {
        ScheduledRunWorkflow workflow = client.newWorkflowStub(ScheduledRunWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.PIPELINE)
                .setTypedSearchAttributes(SearchAttributes.newBuilder()
                        .set(ScheduledRunWorkflowImpl.SCHEDULED_START_TIME, nominal).build())
                .build());
        return workflow.start(request);
    }

    @Test
    void startsThePipelineOnTheWindowEndingTheDayBeforeTheNominalTime() throws Exception {
        OffsetDateTime monday3am = OffsetDateTime.of(2026, 3, 2, 3, 0, 0, 0, ZoneOffset.UTC);

        ScheduledRunResult result = startAsScheduleWould("sched-weekly-mmoe-1", weekly("UTC"), monday3am);

        assertTrue(result.started());
        assertEquals("run-sched-weekly-mmoe-2026-03-02", result.runId());
        assertEquals(new DataWindow(LocalDate.of(2026, 2, 23), LocalDate.of(2026, 3, 1)), result.window());
        assertEquals(7, result.window().days());

        client.newUntypedWorkflowStub(result.runId()).getResult(PipelineResult.class); // the abandoned child ran
        PipelineRequest started = PIPELINE_STARTS.get(0);
        assertEquals(result.runId(), started.runId());
        assertEquals("schedule", started.trigger());
        assertEquals("schedule:weekly-mmoe", started.triggeredBy());
        assertEquals(result.window(), started.window());
        assertEquals("mmoe", started.modelFamily());
        assertEquals(List.of("US"), started.regions());
        assertEquals(List.of(started), opened, "the row is opened with exactly what the pipeline runs on");

        // Keeps the committed replay history reproducible: rerun and copy when the workflow changes.
        Path out = Path.of("target", "histories", "scheduled-run.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, client.fetchHistory("sched-weekly-mmoe-1").toJson(true));
    }

    @Test
    void theRunDateIsTheDateInTheSchedulesTimeZone() {
        // 01:00 UTC on 2 March is still 1 March in Los Angeles.
        OffsetDateTime nominal = OffsetDateTime.of(2026, 3, 2, 1, 0, 0, 0, ZoneOffset.UTC);

        ScheduledRunResult result = startAsScheduleWould("sched-la", weekly("America/Los_Angeles"), nominal);

        assertEquals(LocalDate.of(2026, 3, 1), result.runDate());
        assertEquals(new DataWindow(LocalDate.of(2026, 2, 22), LocalDate.of(2026, 2, 28)), result.window());
    }

    @Test
    void aSecondStartForTheSameDayStartsNothing() {
        OffsetDateTime morning = OffsetDateTime.of(2026, 3, 2, 3, 0, 0, 0, ZoneOffset.UTC);

        assertTrue(startAsScheduleWould("sched-a", weekly("UTC"), morning).started());
        ScheduledRunResult again = startAsScheduleWould("sched-b", weekly("UTC"), morning.plusHours(9));

        assertFalse(again.started());
        assertEquals("run-sched-weekly-mmoe-2026-03-02", again.runId());
        assertEquals(1, PIPELINE_STARTS.size());
    }

    @Test
    void withoutANominalTimeTheRunIsForToday() {
        ScheduledRunWorkflow workflow = client.newWorkflowStub(ScheduledRunWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId("by-hand").setTaskQueue(TaskQueues.PIPELINE).build());
        LocalDate today = java.time.Instant.ofEpochMilli(env.currentTimeMillis()).atZone(ZoneOffset.UTC).toLocalDate();

        ScheduledRunResult result = workflow.start(weekly("UTC"));

        assertEquals(today, result.runDate());
        assertEquals(today.minusDays(1), result.window().end());
    }

    /** Stands in for the real pipeline: records what it was started with and completes. */
    public static class FakePipeline implements TrainingPipelineWorkflow {
        private PipelineRequest request;

        @Override
        public PipelineResult run(PipelineRequest request) {
            this.request = request;
            PIPELINE_STARTS.add(request);
            return new PipelineResult(request.runId(), PipelineOutcome.APPROVED, "fake", null, null, null, null, null,
                    null, null);
        }

        @Override
        public PipelineStatus status() {
            return new PipelineStatus(request.runId(), PipelineStep.DONE, 1, Map.of(), null, null, null, null,
                    PipelineOutcome.APPROVED);
        }

        @Override
        public void trainingProgress(TrainingProgress progress) {
        }

        @Override
        public PipelineStatus decide(ApprovalDecision decision) {
            return status();
        }

        @Override
        public void validateDecision(ApprovalDecision decision) {
        }
    }
}
