package io.rankops.workflows.probe;

import io.rankops.workflows.ActivityPolicies;
import io.rankops.workflows.TaskQueues;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;

public class HealthProbeWorkflowImpl implements HealthProbeWorkflow {

    private final PipelineProbeActivities pipeline =
            Workflow.newActivityStub(PipelineProbeActivities.class, ActivityPolicies.probe(TaskQueues.PIPELINE));
    private final TrainerProbeActivities trainer =
            Workflow.newActivityStub(TrainerProbeActivities.class, ActivityPolicies.probe(TaskQueues.TRAINING));

    @Override
    public ProbeReport probe(String probeId) {
        // Both queues are asked at once: the probe's latency is the slower worker, not the sum.
        Promise<WorkerInfo> java = Async.function(pipeline::describeWorker, probeId);
        Promise<WorkerInfo> python = Async.function(trainer::describeTrainer, probeId);
        return new ProbeReport(probeId, java.get(), python.get());
    }
}
