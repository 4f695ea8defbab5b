package io.rankops.workflows.rollout;

import io.rankops.workflows.ActivityPolicies;
import io.rankops.workflows.pipeline.activities.RegistryActivities;
import io.rankops.workflows.pipeline.records.VersionLifecycle;
import io.rankops.workflows.pipeline.records.VersionSettlement;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public class CanaryRolloutWorkflowImpl implements CanaryRolloutWorkflow {

    /**
     * Workflow.getVersion change id: the rollout settles its version through the registry
     * (champion on promotion, no alias on rollback, abort or cancellation).
     */
    static final String LIFECYCLE_CHANGE = "canary-settles-version";

    private final RolloutActivities ranker =
            Workflow.newActivityStub(RolloutActivities.class, ActivityPolicies.rollout());
    private final RegistryActivities registry =
            Workflow.newActivityStub(RegistryActivities.class, ActivityPolicies.registry());

    private RolloutRequest request;
    private double trafficPercent;
    private double maxTrafficPercent;
    private boolean paused;
    private String abortReason;
    private String promoteNowReason;
    private RolloutOutcome outcome;
    private final List<CanaryDecision> decisions = new ArrayList<>();
    private boolean settles;

    @Override
    public RolloutResult rollout(RolloutRequest request) {
        this.request = request;
        settles = Workflow.getVersion(LIFECYCLE_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
        try {
            return roll(request.policy());
        } catch (CanceledFailure cancelled) {
            throw endCancelled(cancelled);
        } catch (ActivityFailure failure) {
            // Cancelled while an activity ran: the cancellation arrives as that activity's failure.
            if (failure.getCause() instanceof CanceledFailure cancelled) {
                throw endCancelled(cancelled);
            }
            throw failure;
        }
    }

    /** The pipeline was cancelled: nobody may keep serving the candidate. */
    private CanceledFailure endCancelled(CanceledFailure cancelled) {
        Workflow.newDetachedCancellationScope(() -> {
            ranker.setCandidateTraffic(request.candidateVersion(), 0);
            trafficPercent = 0;
            settle(VersionLifecycle.CANCELLED, "run cancelled during the canary");
        }).run();
        return cancelled;
    }

    private RolloutResult roll(RolloutPolicy policy) {
        List<Double> steps = policy.stepsPercent();
        for (int i = 0; i < steps.size() - 1; i++) {
            setTraffic(steps.get(i));
            for (int extension = 0; ; extension++) {
                String interrupted = bake(policy.bake());
                if (interrupted != null) {
                    return interrupted.equals("abort") ? stop(RolloutOutcome.ABORTED, "aborted: " + abortReason)
                            : promote("promoted early: " + promoteNowReason);
                }
                CanaryDecision decision = CanaryAnalysis.judge(policy, trafficPercent, ranker.readArmMetrics(),
                        Workflow.currentTimeMillis());
                decisions.add(decision);
                if (decision.verdict() == CanaryVerdict.ROLL_BACK) {
                    return stop(RolloutOutcome.ROLLED_BACK, String.join("; ", decision.reasons()));
                }
                if (decision.verdict() == CanaryVerdict.CONTINUE) {
                    break;
                }
                if (extension >= policy.maxBakeExtensions()) {
                    return stop(RolloutOutcome.ROLLED_BACK, "not enough traffic to judge after "
                            + (extension + 1) + " bakes at " + trafficPercent + " %");
                }
            }
        }
        setTraffic(steps.get(steps.size() - 1));
        return promote("every step held");
    }

    /**
     * Waits out one bake, not counting paused time. Returns "abort" or "promote" when a signal
     * cut it short, else null.
     */
    private String bake(Duration bake) {
        Duration left = bake;
        while (true) {
            long started = Workflow.currentTimeMillis();
            Workflow.await(left, () -> paused || abortReason != null || promoteNowReason != null);
            if (abortReason != null) {
                return "abort";
            }
            if (promoteNowReason != null) {
                return "promote";
            }
            if (!paused) {
                return null;
            }
            left = left.minusMillis(Workflow.currentTimeMillis() - started);
            Workflow.await(() -> !paused || abortReason != null || promoteNowReason != null);
        }
    }

    private void setTraffic(double percent) {
        ranker.setCandidateTraffic(request.candidateVersion(), percent);
        trafficPercent = percent;
        maxTrafficPercent = Math.max(maxTrafficPercent, percent);
    }

    private RolloutResult promote(String reason) {
        if (settles) {
            settle(VersionLifecycle.CHAMPION, "promoted after the canary: " + reason);
        } else {
            ranker.promoteToChampion(request.modelName(), request.candidateVersion());
        }
        // The new champion serves everyone; the candidate arm is empty until the next rollout.
        ranker.setCandidateTraffic(request.candidateVersion(), 0);
        trafficPercent = 0;
        return finish(RolloutOutcome.PROMOTED, reason);
    }

    private RolloutResult stop(RolloutOutcome how, String reason) {
        ranker.setCandidateTraffic(request.candidateVersion(), 0);
        trafficPercent = 0;
        settle(how == RolloutOutcome.ABORTED ? VersionLifecycle.ABORTED : VersionLifecycle.ROLLED_BACK, reason);
        return finish(how, reason);
    }

    private void settle(VersionLifecycle lifecycle, String reason) {
        if (settles) {
            registry.settle(new VersionSettlement(request.modelName(), request.candidateVersion(), request.runId(),
                    lifecycle, reason));
        }
    }

    private RolloutResult finish(RolloutOutcome how, String reason) {
        outcome = how;
        return new RolloutResult(request.runId(), request.candidateVersion(), how, reason, maxTrafficPercent,
                List.copyOf(decisions));
    }

    @Override
    public RolloutStatus status() {
        return new RolloutStatus(request == null ? null : request.runId(), request == null ? null : request.modelName(),
                request == null ? null : request.candidateVersion(), trafficPercent, paused, List.copyOf(decisions),
                outcome);
    }

    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void resume() {
        paused = false;
    }

    @Override
    public void abort(String reason) {
        abortReason = reason == null || reason.isBlank() ? "no reason given" : reason;
    }

    @Override
    public void promoteNow(String reason) {
        promoteNowReason = reason == null || reason.isBlank() ? "no reason given" : reason;
    }
}
