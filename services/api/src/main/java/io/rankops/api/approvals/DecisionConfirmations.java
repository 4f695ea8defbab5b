package io.rankops.api.approvals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rankops.platform.names.FailureTypes;
import io.rankops.workflows.pipeline.ApprovalDecision;
import io.rankops.workflows.pipeline.activities.DecisionActivities;
import io.temporal.failure.ApplicationFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Owner of table approval_decision. {@link #record} is the API's word on a decision, written after
 * it checked the signed-in approver's role, four-eyes and the policy floor, and committed before
 * the decide update is sent; {@link #confirm} is the answer to the workflow asking whether a decision
 * is real: it is when recorded for that run, recently, and not used before. Served on queue
 * {@code run-ledger} by the API's ledger worker.
 */
@ApplicationScoped
public class DecisionConfirmations implements DecisionActivities {

    /** The update follows its record within milliseconds; an old unused record is not a decision any more. */
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    /** Records a decision in its own transaction; returns its id for the update. */
    public String record(String runId, String approver, boolean approved, String comment) {
        return QuarkusTransaction.requiringNew().call(() -> {
            DecisionRecord record = new DecisionRecord();
            record.id = UUID.randomUUID();
            record.runId = runId;
            record.approver = approver;
            record.approved = approved;
            record.comment = comment;
            record.persistAndFlush();
            return record.id.toString();
        });
    }

    @Override
    public ApprovalDecision confirm(String runId, String decisionId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            DecisionRecord record = parse(decisionId) == null ? null
                    : DecisionRecord.findById(parse(decisionId), LockModeType.PESSIMISTIC_WRITE);
            if (record == null || !record.runId.equals(runId)) {
                throw refused("no decision " + decisionId + " was recorded for run " + runId
                        + " by the rankops API: decisions are made through POST /api/runs/" + runId + "/decision");
            }
            if (record.confirmedAt != null) {
                throw refused("decision " + decisionId + " for run " + runId + " was already used");
            }
            if (record.recordedAt.isBefore(OffsetDateTime.now().minus(MAX_AGE))) {
                throw refused("decision " + decisionId + " for run " + runId + " is older than " + MAX_AGE);
            }
            record.confirmedAt = OffsetDateTime.now();
            return new ApprovalDecision(record.approver, record.approved, record.comment, record.id.toString());
        });
    }

    private static UUID parse(String id) {
        try {
            return id == null ? null : UUID.fromString(id);
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }

    private static ApplicationFailure refused(String message) {
        return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.UNCONFIRMED_DECISION);
    }
}
