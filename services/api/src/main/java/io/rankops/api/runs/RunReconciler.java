package io.rankops.api.runs;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A workflow ended from outside (terminated in the Temporal UI, timed out) records no last step, so
 * its row would stay RUNNING for ever. Every minute this asks Temporal about open runs that have
 * not moved for a while and closes those whose workflow is gone as TERMINATED, with the reason.
 */
@ApplicationScoped
public class RunReconciler {

    private static final Logger LOG = Logger.getLogger(RunReconciler.class);
    /** Open rows looked at per pass, oldest first, so one pass stays short. */
    static final int BATCH = 50;

    private final PipelineWorkflows workflows;
    private final RunLedger ledger;
    private final boolean enabled;
    private final Duration quietFor;

    public RunReconciler(PipelineWorkflows workflows, RunLedger ledger,
            @ConfigProperty(name = "rankops.ledger.reconcile", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "rankops.ledger.reconcile-after", defaultValue = "2m") Duration quietFor) {
        this.workflows = workflows;
        this.ledger = ledger;
        this.enabled = enabled;
        this.quietFor = quietFor;
    }

    @Scheduled(every = "60s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (enabled) {
            reconcile(quietFor);
        }
    }

    /** @return the ids of the runs it closed */
    public List<String> reconcile(Duration quiet) {
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).minus(quiet);
        List<String> candidates = QuarkusTransaction.requiringNew().call(() -> Run.<Run>find(
                "status in ?1 and updatedAt <= ?2 order by updatedAt", RunStatus.OPEN, before)
                .page(0, BATCH).list().stream().map(run -> run.id).toList());
        List<String> closed = new ArrayList<>();
        for (String runId : candidates) {
            Optional<String> why;
            try {
                why = workflows.endedOutsideTheWorkflow(runId);
            } catch (RuntimeException e) {
                LOG.debugf(e, "reconciling %s: Temporal could not be asked", runId);
                continue; // try again next pass
            }
            if (why.isPresent() && ledger.closeEndedOutside(runId, why.get())) {
                LOG.infof("run %s closed as TERMINATED: %s", runId, why.get());
                closed.add(runId);
            }
        }
        return closed;
    }
}
