package io.rankops.api.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.rankops.api.support.Database;
import io.rankops.platform.names.FailureTypes;
import io.rankops.workflows.pipeline.DataWindow;
import io.rankops.workflows.pipeline.GatePolicy;
import io.rankops.workflows.pipeline.PipelineRequest;
import io.rankops.workflows.pipeline.PipelineStep;
import io.rankops.workflows.pipeline.TrainingParams;
import io.rankops.workflows.pipeline.records.StepEvent;
import io.rankops.workflows.pipeline.records.StepStatus;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ledger's activities against the stack's PostgreSQL test database: the one writer of runs. */
@QuarkusTest
class RunLedgerTest {

    @Inject
    LedgerActivities activities;
    @Inject
    RunLedger ledger;
    @Inject
    Database database;

    private static PipelineRequest request(String runId) {
        return new PipelineRequest(runId, "erin", "schedule", "rankops-ranker", "mmoe", false,
                new DataWindow(LocalDate.parse("2025-01-01"), LocalDate.parse("2025-01-07")), List.of("US"),
                new TrainingParams(1, 256, 1e-3, 8, 1, 7L, Map.of()), new GatePolicy(10, 0.1, 0.05, Map.of()), "cpu",
                Duration.ofHours(1), null);
    }

    private static StepEvent event(String runId, int sequence, PipelineStep step, StepStatus status, String detail) {
        return StepEvent.of(runId, sequence, step, status, detail, 1_717_243_200_000L + sequence);
    }

    private static Run row(String runId) {
        return QuarkusTransaction.requiringNew().call(() -> Run.<Run>findById(runId));
    }

    @Test
    void aScheduledRunOpensOnceWithOneAuditEntry() {
        String runId = "run-" + UUID.randomUUID();
        activities.openRun(request(runId));
        activities.openRun(request(runId)); // the activity's retry

        Run run = row(runId);
        assertEquals(RunStatus.RUNNING, run.status);
        assertEquals("schedule", run.trigger);
        assertEquals(1, database.count("SELECT count(*) FROM audit_log WHERE subject = ? AND action = 'run.start'", runId));
    }

    @Test
    void eventsMoveTheRowAndARetryOrAnOlderEventChangesNothing() {
        String runId = "run-" + UUID.randomUUID();
        activities.openRun(request(runId));

        activities.record(event(runId, 1, PipelineStep.EXTRACT, StepStatus.STARTED, "{\"window\": 7}"), 1);
        activities.record(event(runId, 3, PipelineStep.AWAIT_APPROVAL, StepStatus.STARTED, null), 1);
        activities.record(event(runId, 1, PipelineStep.EXTRACT, StepStatus.STARTED, "{\"window\": 7}"), 1);
        activities.record(event(runId, 2, PipelineStep.REGISTER, StepStatus.COMPLETED, "{}"), 1); // late, older

        Run run = row(runId);
        assertEquals(RunStatus.AWAITING_APPROVAL, run.status);
        assertEquals("await_approval", run.currentStep);
        assertEquals(3, run.lastSequence);
        assertEquals(3, database.count("SELECT count(*) FROM run_step_event WHERE run_id = ?", runId));

        activities.record(event(runId, 4, PipelineStep.DONE, StepStatus.PROMOTED, "{\"reason\": \"version 2 is champion\"}"), 1);
        run = row(runId);
        assertEquals(RunStatus.PROMOTED, run.status);
        assertEquals("PROMOTED", run.outcome);
        assertEquals("version 2 is champion", run.reason);
    }

    /** The guarantee the trigger gave: an event that arrives before its row commits is not lost. */
    @Test
    void anEventBeforeTheRowCommitsWaitsForItAndThenLands() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        CountDownLatch opened = new CountDownLatch(1);
        CountDownLatch eventTried = new CountDownLatch(1);
        ExecutorService api = Executors.newSingleThreadExecutor();
        try {
            Future<?> open = api.submit(() -> QuarkusTransaction.requiringNew().run(() -> {
                ledger.open(request(runId));
                opened.countDown();
                await(eventTried); // the workflow's first event arrives while this transaction is open
            }));
            await(opened);
            StepEvent first = event(runId, 1, PipelineStep.EXTRACT, StepStatus.STARTED, null);
            assertThrows(RunLedger.RunNotOpen.class, () -> activities.record(first, 1), "retryable: the row is not visible");
            eventTried.countDown();
            open.get(10, TimeUnit.SECONDS);

            activities.record(first, 1); // the activity's retry
            assertEquals("extract", row(runId).currentStep);
            assertEquals(1, database.count("SELECT count(*) FROM run_step_event WHERE run_id = ?", runId));
        } finally {
            api.shutdownNow();
        }
    }

    /** A run started straight in Temporal has no row: after the wait its events are kept, and a row opened later catches up. */
    @Test
    void eventsOfARunWithoutARowAreKeptAndALateRowCatchesUp() {
        String runId = "run-" + UUID.randomUUID();
        StepEvent first = event(runId, 1, PipelineStep.EXTRACT, StepStatus.STARTED, null);
        assertThrows(RunLedger.RunNotOpen.class, () -> activities.record(first, LedgerActivities.WAIT_FOR_ROW_ATTEMPTS - 1));

        activities.record(first, LedgerActivities.WAIT_FOR_ROW_ATTEMPTS);
        activities.record(event(runId, 2, PipelineStep.AWAIT_APPROVAL, StepStatus.STARTED, null), LedgerActivities.WAIT_FOR_ROW_ATTEMPTS);
        assertEquals(2, database.count("SELECT count(*) FROM run_step_event WHERE run_id = ?", runId));

        activities.openRun(request(runId));
        Run run = row(runId);
        assertEquals(RunStatus.AWAITING_APPROVAL, run.status);
        assertEquals(2, run.lastSequence);
    }

    @Test
    void concurrentEventsEndAtTheNewest() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        activities.openRun(request(runId));
        List<Integer> sequences = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            sequences.add(i);
        }
        Collections.shuffle(sequences, new java.util.Random(3));
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int sequence : sequences) {
                PipelineStep step = sequence == 12 ? PipelineStep.AWAIT_APPROVAL : PipelineStep.TRAIN;
                writes.add(workers.submit(() -> activities.record(event(runId, sequence, step, StepStatus.STARTED, null), 1)));
            }
            for (Future<?> write : writes) {
                write.get(30, TimeUnit.SECONDS);
            }
        } finally {
            workers.shutdownNow();
        }
        Run run = row(runId);
        assertEquals(12, run.lastSequence);
        assertEquals(RunStatus.AWAITING_APPROVAL, run.status);
        assertEquals(12, database.count("SELECT count(*) FROM run_step_event WHERE run_id = ?", runId));
    }

    @Test
    void detailThatIsNotJsonFailsForGoodNamingTheField() {
        String runId = "run-" + UUID.randomUUID();
        activities.openRun(request(runId));

        ApplicationFailure failure = assertThrows(ApplicationFailure.class,
                () -> activities.record(event(runId, 1, PipelineStep.GATE, StepStatus.FAILED, "not json"), 1));

        assertEquals(FailureTypes.BAD_RUN_RECORD, failure.getType());
        assertTrue(failure.isNonRetryable());
        assertTrue(failure.getOriginalMessage().contains("'detail'"), failure.getOriginalMessage());
        assertEquals(0, database.count("SELECT count(*) FROM run_step_event WHERE run_id = ?", runId));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
