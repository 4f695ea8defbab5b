package io.rankops.workflows.probe;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Round trip through Temporal to the Java worker and the Python trainer. The API runs it to
 * show whether the platform can execute work, not just whether the server is up.
 */
@WorkflowInterface
public interface HealthProbeWorkflow {

    @WorkflowMethod
    ProbeReport probe(String probeId);
}
