package io.rankops.workflows.pipeline.activities;

import io.rankops.workflows.pipeline.ApprovalDecision;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The API's word on a decision (services/api, queue {@code run-ledger}). Anyone who can reach
 * Temporal can send a {@code decide} update naming any approver; only the API checks who is signed
 * in, so the workflow acts on the decision the API recorded, never on the update's payload.
 */
@ActivityInterface
public interface DecisionActivities {

    /**
     * Consumes the API's record {@code decisionId} for run {@code runId} and returns it as recorded
     * (approver, verdict, comment). Fails non-retryably when the API has no such unused record.
     */
    @ActivityMethod(name = "confirm_decision")
    ApprovalDecision confirm(String runId, String decisionId);
}
