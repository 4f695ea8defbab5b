package io.rankops.api.approvals;

import io.rankops.api.audit.AuditEntry;
import io.rankops.api.audit.AuditLog;
import io.rankops.api.runs.Run;
import io.rankops.workflows.schedule.ScheduledRunRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Who is accountable for a run, and so may never decide on it (four-eyes). A person's run: who
 * started it (a retry with the same Idempotency-Key is the same person's run). A scheduled run:
 * everyone who made the schedule start runs (created it, triggered it, backfilled it or unpaused
 * it), as the audit log records; which of them caused this particular run does not matter.
 */
@ApplicationScoped
public class Accountability {

    /** Schedule commands that make a schedule start runs. */
    static final Set<String> STARTING_COMMANDS = Set.of("schedule.create", "schedule.trigger", "schedule.backfill",
            "schedule.unpause");

    private final AuditLog audit;

    public Accountability(AuditLog audit) {
        this.audit = audit;
    }

    /** Each accountable person with why, in the order they became accountable. */
    public Map<String, String> of(Run run) {
        Map<String, String> people = new LinkedHashMap<>();
        String schedulePrefix = ScheduledRunRequest.TRIGGER + ":";
        if (run.triggeredBy.startsWith(schedulePrefix)) {
            String schedule = run.triggeredBy; // "schedule:<id>", the schedules' audit subject too
            for (AuditEntry entry : audit.forSubject(schedule)) {
                if (STARTING_COMMANDS.contains(entry.action)) {
                    people.putIfAbsent(entry.actor, "ran " + entry.action + " on " + schedule + ", which started this run");
                }
            }
        } else {
            people.put(run.triggeredBy, "triggered this run");
        }
        return people;
    }
}
