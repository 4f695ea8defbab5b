package io.rankops.worker.probe;

import io.rankops.workflows.TaskQueues;
import io.rankops.workflows.probe.PipelineProbeActivities;
import io.rankops.workflows.probe.WorkerInfo;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;

@ApplicationScoped
public class PipelineProbeActivitiesImpl implements PipelineProbeActivities {

    @Override
    public WorkerInfo describeWorker(String probeId) {
        String version = getClass().getPackage().getImplementationVersion();
        // pid@host, the same identity the Temporal SDK gives this worker by default.
        return new WorkerInfo(TaskQueues.PIPELINE,
                ManagementFactory.getRuntimeMXBean().getName(),
                "java " + Runtime.version(),
                version == null ? "dev" : version);
    }
}
