package io.rankops.api.status;

import io.rankops.workflows.TaskQueues;
import io.rankops.workflows.probe.HealthProbeWorkflow;
import io.rankops.workflows.probe.ProbeReport;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.UUID;

@Path("/api/status")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    /** Long enough for both workers to answer, short enough for a person waiting on the button. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    private final StackStatusService status;
    private final WorkflowClient workflows;
    private final SecurityIdentity identity;

    public StatusResource(StackStatusService status, WorkflowClient workflows, SecurityIdentity identity) {
        this.status = status;
        this.workflows = workflows;
        this.identity = identity;
    }

    /**
     * Up or down for anyone (load balancers, the sign-in page); versions, process ids and internal
     * URLs only for signed-in users, since they tell an outsider what to attack and where.
     */
    @GET
    public StackStatus get() {
        StackStatus checked = status.check();
        return identity.isAnonymous() ? checked.withoutDetails() : checked;
    }

    /**
     * Runs a real workflow through both task queues: proof that the platform can execute work. Only
     * for signed-in users: an anonymous caller must not be able to make the platform start workflows.
     */
    @POST
    @Path("/probe")
    @Authenticated
    public ProbeReport probe() {
        String probeId = "health-probe-" + UUID.randomUUID();
        HealthProbeWorkflow probe = workflows.newWorkflowStub(HealthProbeWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(probeId)
                .setTaskQueue(TaskQueues.PIPELINE)
                .setWorkflowExecutionTimeout(PROBE_TIMEOUT)
                .build());
        return probe.probe(probeId);
    }
}
