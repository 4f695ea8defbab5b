package io.rankops.workflows.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankops.platform.names.FailureTypes;
import io.rankops.workflows.ActivityPolicies;
import io.rankops.workflows.TaskQueues;
import io.rankops.workflows.pipeline.activities.DecisionActivities;
import io.rankops.workflows.pipeline.activities.ExtractionActivities;
import io.rankops.workflows.pipeline.activities.RegistryActivities;
import io.rankops.workflows.pipeline.activities.RunRecordActivities;
import io.rankops.workflows.pipeline.activities.TrainingActivities;
import io.rankops.workflows.pipeline.records.DatasetManifest;
import io.rankops.workflows.pipeline.records.EvaluationReport;
import io.rankops.workflows.pipeline.records.EvaluationRequest;
import io.rankops.workflows.pipeline.records.ExtractionRequest;
import io.rankops.workflows.pipeline.records.GateVerdict;
import io.rankops.workflows.pipeline.records.RegisteredVersion;
import io.rankops.workflows.pipeline.records.RegistrationRequest;
import io.rankops.workflows.pipeline.records.StepEvent;
import io.rankops.workflows.pipeline.records.StepStatus;
import io.rankops.workflows.pipeline.records.TrainingRequest;
import io.rankops.workflows.pipeline.records.TrainingResult;
import io.rankops.workflows.pipeline.records.TrainingRunClosure;
import io.rankops.workflows.pipeline.records.VersionLifecycle;
import io.rankops.workflows.pipeline.records.VersionSettlement;
import io.rankops.workflows.rollout.CanaryRolloutWorkflow;
import io.rankops.workflows.rollout.RolloutOutcome;
import io.rankops.workflows.rollout.RolloutRequest;
import io.rankops.workflows.rollout.RolloutResult;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

public class TrainingPipelineWorkflowImpl implements TrainingPipelineWorkflow {

    /** The reminder goes out once this share of the approval time has passed. */
    static final double REMINDER_AT_FRACTION = 0.5;
    /** WR@K is reported at these K (plus the gate's own K) so runs compare on one curve. */
    static final List<Integer> REPORTED_KS = List.of(5, 10, 20);
    /** Time-based split: the last day is the test split, the day before it validation. */
    static final int VALIDATION_DAYS = 1;
    static final int TEST_DAYS = 1;
    /** Workflow.getVersion change id: the canary rollout after approval. */
    static final String CANARY_CHANGE = "canary-rollout-after-approval";
    /**
     * Workflow.getVersion change id: the run settles its version's aliases (reject, expire, cancel,
     * promote at approval) and ends its MLflow run; before it, registration moved alias candidate.
     */
    static final String LIFECYCLE_CHANGE = "alias-lifecycle";
    /** From this change on, a decision counts only as the API recorded it (confirmed by an activity). */
    static final String CONFIRMED_DECISION_CHANGE = "decisions-confirmed-by-the-api";

    private final ExtractionActivities extraction =
            Workflow.newActivityStub(ExtractionActivities.class, ActivityPolicies.extraction());
    private final TrainingActivities trainer =
            Workflow.newActivityStub(TrainingActivities.class, ActivityPolicies.training());
    private final TrainingActivities evaluator =
            Workflow.newActivityStub(TrainingActivities.class, ActivityPolicies.evaluation());
    private final RegistryActivities registry =
            Workflow.newActivityStub(RegistryActivities.class, ActivityPolicies.registry());
    private final RunRecordActivities records =
            Workflow.newActivityStub(RunRecordActivities.class, ActivityPolicies.records());
    private final DecisionActivities decisions =
            Workflow.newActivityStub(DecisionActivities.class, ActivityPolicies.decisions());
    private final ObjectMapper json = JacksonJsonPayloadConverter.newDefaultObjectMapper();

    private PipelineRequest request;
    private PipelineStep step = PipelineStep.EXTRACT;
    private double progress;
    private final Map<String, Double> latestMetrics = new LinkedHashMap<>();
    private GateVerdict gate;
    private RegisteredVersion registered;
    private ApprovalDecision decision;
    private Long approvalDeadlineMillis;
    private PipelineOutcome outcome;
    private RolloutResult rollout;
    private int sequence;
    /** Whether this run follows the alias lifecycle (false only when replaying older histories). */
    private boolean settles;
    private String mlflowRunId;

    @Override
    public PipelineResult run(PipelineRequest request) {
        this.request = request;
        settles = Workflow.getVersion(LIFECYCLE_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
        DatasetManifest dataset = null;
        TrainingResult trained = null;
        EvaluationReport report = null;
        try {
            enter(PipelineStep.EXTRACT, Map.of("window", request.window()));
            dataset = extraction.extract(new ExtractionRequest(request.runId(), request.window(),
                    request.regions(), VALIDATION_DAYS, TEST_DAYS));
            record(PipelineStep.EXTRACT, StepStatus.COMPLETED, dataset);

            enter(PipelineStep.TRAIN, Map.of("modelFamily", request.modelFamily(), "device", request.device()));
            trained = trainer.train(new TrainingRequest(request.runId(), dataset, request.modelFamily(),
                    request.regionMask(), request.params(), request.device()));
            latestMetrics.putAll(trained.validationMetrics());
            mlflowRunId = trained.mlflowRunId();
            record(PipelineStep.TRAIN, StepStatus.COMPLETED, trained);

            enter(PipelineStep.EVALUATE, Map.of());
            RegisteredVersion champion = registry.findChampion(request.modelName());
            report = evaluator.evaluate(new EvaluationRequest(request.runId(), dataset, trained.onnxUri(),
                    champion == null ? null : champion.source(), reportedKs(), trained.mlflowRunId(),
                    request.gate().engagementWeights()));
            record(PipelineStep.EVALUATE, StepStatus.COMPLETED, report);

            enter(PipelineStep.GATE, request.gate());
            gate = Gate.evaluate(request.gate(), report);
            if (!gate.passed()) {
                record(PipelineStep.GATE, StepStatus.FAILED, gate);
                return finish(PipelineOutcome.GATE_FAILED, "gate failed: " + String.join("; ", gate.failures()), dataset, trained,
                        report);
            }
            record(PipelineStep.GATE, StepStatus.COMPLETED, gate);

            enter(PipelineStep.REGISTER, Map.of("modelName", request.modelName()));
            registered = registry.register(new RegistrationRequest(request.runId(), request.modelName(),
                    trained.onnxUri(), trained.mlflowRunId(), dataset.datasetId(), request.modelFamily(),
                    registrationMetrics(report), trained.onnxSha256()));
            record(PipelineStep.REGISTER, StepStatus.COMPLETED, registered);

            return awaitApproval(dataset, trained, report);
        } catch (CanceledFailure cancelled) {
            throw endCancelled(cancelled);
        } catch (ActivityFailure | ChildWorkflowFailure failure) {
            // Cancelling the run while an activity or the canary works surfaces as its failure.
            if (failure.getCause() instanceof CanceledFailure cancelled) {
                throw endCancelled(cancelled);
            }
            record(step, StepStatus.FAILED, Map.of("error", describe(failure)));
            if (step == PipelineStep.ROLLOUT) {
                settle(VersionLifecycle.ROLLED_BACK, "the canary failed: " + describe(failure));
            }
            closeTrainingRun(TrainingRunClosure.Status.FAILED, "failed");
            throw failure;
        }
    }

    private CanceledFailure endCancelled(CanceledFailure cancelled) {
        outcome = PipelineOutcome.CANCELLED;
        // The workflow's own scope is cancelled; the last records must still be written.
        Workflow.newDetachedCancellationScope(() -> {
            record(step, StepStatus.CANCELLED, Map.of());
            settle(VersionLifecycle.CANCELLED, "run cancelled");
            closeTrainingRun(TrainingRunClosure.Status.KILLED, "cancelled");
        }).run();
        return cancelled;
    }

    private PipelineResult awaitApproval(DatasetManifest dataset, TrainingResult trained, EvaluationReport report) {
        Duration timeout = request.approvalTimeout();
        approvalDeadlineMillis = Workflow.currentTimeMillis() + timeout.toMillis();
        enter(PipelineStep.AWAIT_APPROVAL, Map.of("deadlineMillis", approvalDeadlineMillis));

        Duration untilReminder = Duration.ofMillis((long) (timeout.toMillis() * REMINDER_AT_FRACTION));
        boolean decided = Workflow.await(untilReminder, () -> decision != null);
        if (!decided) {
            record(PipelineStep.AWAIT_APPROVAL, StepStatus.REMINDED, Map.of("deadlineMillis", approvalDeadlineMillis));
            decided = Workflow.await(timeout.minus(untilReminder), () -> decision != null);
        }
        if (!decided) {
            record(PipelineStep.AWAIT_APPROVAL, StepStatus.EXPIRED, Map.of("timeout", timeout.toString()));
            settle(VersionLifecycle.EXPIRED, "nobody decided within " + timeout);
            return finish(PipelineOutcome.APPROVAL_EXPIRED, "nobody decided within " + timeout, dataset, trained,
                    report);
        }
        record(PipelineStep.AWAIT_APPROVAL, decision.approved() ? StepStatus.APPROVED : StepStatus.REJECTED, decision);
        if (!decision.approved()) {
            String reason = "rejected by " + decision.approver() + ": " + decision.comment();
            settle(VersionLifecycle.REJECTED, reason);
            return finish(PipelineOutcome.REJECTED, reason, dataset, trained, report);
        }
        // Histories from before the canary existed replay without it.
        int canary = Workflow.getVersion(CANARY_CHANGE, Workflow.DEFAULT_VERSION, 1);
        if (canary == Workflow.DEFAULT_VERSION || request.rollout() == null) {
            if (!settles) {
                return finish(PipelineOutcome.APPROVED, "approved by " + decision.approver(), dataset, trained, report);
            }
            // No canary asked for: the release manager's approval is the promotion.
            String reason = "approved by " + decision.approver() + " without a canary: version "
                    + registered.version() + " is champion";
            settle(VersionLifecycle.CHAMPION, reason);
            return finish(PipelineOutcome.APPROVED, reason, dataset, trained, report);
        }
        return rollOut(dataset, trained, report);
    }

    private PipelineResult rollOut(DatasetManifest dataset, TrainingResult trained, EvaluationReport report) {
        enter(PipelineStep.ROLLOUT, request.rollout());
        CanaryRolloutWorkflow canary = Workflow.newChildWorkflowStub(CanaryRolloutWorkflow.class,
                ChildWorkflowOptions.newBuilder()
                        .setWorkflowId(CanaryRolloutWorkflow.workflowId(request.runId()))
                        .setTaskQueue(TaskQueues.PIPELINE)
                        // A cancelled run waits for its canary to take the candidate's traffic and alias.
                        .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED)
                        .build());
        rollout = canary.rollout(new RolloutRequest(request.runId(), request.modelName(), registered.version(),
                request.rollout()));
        record(PipelineStep.ROLLOUT, StepStatus.of(rollout.outcome()), rollout);
        return rollout.outcome() == RolloutOutcome.PROMOTED
                ? finish(PipelineOutcome.PROMOTED, "promoted to champion: " + rollout.reason(), dataset, trained, report)
                : finish(PipelineOutcome.ROLLED_BACK, rollout.reason(), dataset, trained, report);
    }

    @Override
    public PipelineStatus status() {
        return new PipelineStatus(request == null ? null : request.runId(), step, progress, Map.copyOf(latestMetrics),
                gate, registered, decision, approvalDeadlineMillis, outcome);
    }

    @Override
    public void trainingProgress(TrainingProgress update) {
        if (step != PipelineStep.TRAIN) {
            return; // a late signal from a finished or retried attempt
        }
        progress = Math.max(0, Math.min(1, update.fraction()));
        latestMetrics.put("loss", update.loss());
        if (update.metrics() != null) {
            latestMetrics.putAll(update.metrics());
        }
    }

    @Override
    public void validateDecision(ApprovalDecision candidate) {
        if (step != PipelineStep.AWAIT_APPROVAL || decision != null) {
            throw new IllegalStateException("run " + request.runId() + " is not awaiting approval (step " + step + ")");
        }
        checkDecision(candidate);
        if (isBlank(candidate.decisionId())) {
            throw new IllegalArgumentException("decisions are made through the rankops API: this one has no decision id");
        }
    }

    private void checkDecision(ApprovalDecision candidate) {
        if (candidate == null || isBlank(candidate.approver())) {
            throw new IllegalArgumentException("approver is required");
        }
        if (candidate.approver().equals(request.triggeredBy())) {
            throw new IllegalArgumentException("four-eyes rule: " + candidate.approver()
                    + " triggered this run and cannot approve or reject it");
        }
        if (!candidate.approved() && isBlank(candidate.comment())) {
            throw new IllegalArgumentException("a rejection needs a comment");
        }
    }

    /**
     * Acts on the API's record of the decision, not on the update's payload: an update sent
     * straight to Temporal (any approver name it likes) has no record and decides nothing.
     */
    @Override
    public PipelineStatus decide(ApprovalDecision claimed) {
        if (Workflow.getVersion(CONFIRMED_DECISION_CHANGE, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
            decision = claimed;
            return status();
        }
        ApprovalDecision confirmed;
        try {
            confirmed = decisions.confirm(request.runId(), claimed.decisionId());
            checkDecision(confirmed);
        } catch (ActivityFailure refused) {
            throw ApplicationFailure.newNonRetryableFailure(refusal(refused), FailureTypes.UNCONFIRMED_DECISION);
        } catch (IllegalArgumentException refused) {
            throw ApplicationFailure.newNonRetryableFailure(refused.getMessage(), FailureTypes.UNCONFIRMED_DECISION);
        }
        if (decision != null || step != PipelineStep.AWAIT_APPROVAL) {
            // While this update waited for the API, another one won, or the approval wait expired.
            throw ApplicationFailure.newNonRetryableFailure("run " + request.runId() + " is no longer awaiting approval"
                    + (decision != null ? " (already decided)" : " (step " + step + ")"), FailureTypes.UNCONFIRMED_DECISION);
        }
        decision = confirmed;
        return status();
    }

    private static String refusal(ActivityFailure failure) {
        return failure.getCause() instanceof ApplicationFailure cause ? cause.getOriginalMessage() : failure.getMessage();
    }

    private PipelineResult finish(PipelineOutcome how, String reason, DatasetManifest dataset,
            TrainingResult trained, EvaluationReport report) {
        outcome = how;
        step = PipelineStep.DONE;
        progress = 1;
        record(PipelineStep.DONE, StepStatus.of(how), Map.of("reason", reason));
        closeTrainingRun(TrainingRunClosure.Status.FINISHED, how.name().toLowerCase());
        return new PipelineResult(request.runId(), how, reason, dataset, trained, report, gate, registered, decision,
                rollout);
    }

    /** Moves the registered version to its outcome; the canary child settles its own outcomes. */
    private void settle(VersionLifecycle lifecycle, String reason) {
        if (settles && registered != null) {
            registry.settle(new VersionSettlement(request.modelName(), registered.version(), request.runId(), lifecycle,
                    reason));
        }
    }

    private void closeTrainingRun(TrainingRunClosure.Status status, String how) {
        if (settles) {
            registry.closeTrainingRun(new TrainingRunClosure(request.runId(), mlflowRunId, status, how));
        }
    }

    private void enter(PipelineStep next, Object detail) {
        step = next;
        progress = 0;
        record(next, StepStatus.STARTED, detail);
    }

    private void record(PipelineStep at, StepStatus status, Object detail) {
        records.record(StepEvent.of(request.runId(), ++sequence, at, status, toJson(detail), Workflow.currentTimeMillis()));
    }

    private List<Integer> reportedKs() {
        TreeSet<Integer> ks = new TreeSet<>(REPORTED_KS);
        ks.add(request.gate().k());
        return List.copyOf(ks);
    }

    private static Map<String, Double> registrationMetrics(EvaluationReport report) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        report.candidate().weightedRecallAtK().forEach((k, v) -> metrics.put("wr_at_" + k, v));
        report.candidate().auc().forEach((task, v) -> metrics.put("auc_" + task, v));
        return metrics;
    }

    /** What a person reads as the run's reason: the activity and its own message, not the SDK's wrapping. */
    private String describe(TemporalFailure failure) {
        Throwable cause = failure.getCause() == null ? failure : failure.getCause();
        String message = cause.getMessage();
        if (cause instanceof TemporalFailure temporal && temporal.getOriginalMessage() != null
                && !temporal.getOriginalMessage().isBlank()) {
            message = temporal.getOriginalMessage();
        }
        String type = cause instanceof ApplicationFailure application ? " [" + application.getType() + "]" : "";
        String where = failure instanceof ActivityFailure activity ? activity.getActivityType()
                : "canary rollout " + ((ChildWorkflowFailure) failure).getExecution().getWorkflowId();
        return where + ": " + message + type;
    }

    private String toJson(Object detail) {
        try {
            return json.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            return "{\"unserialisable\": \"" + detail.getClass().getSimpleName() + "\"}";
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
