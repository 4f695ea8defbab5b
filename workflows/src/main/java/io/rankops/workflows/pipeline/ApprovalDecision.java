package io.rankops.workflows.pipeline;

/**
 * A release manager's decision, sent through the API as a workflow update.
 *
 * @param decisionId the API's record of this decision; the workflow confirms it with the API before
 *                   acting, so an update sent straight to Temporal decides nothing (null only in
 *                   histories recorded before the check existed)
 */
public record ApprovalDecision(String approver, boolean approved, String comment, String decisionId) {
}
