package io.rankops.workflows.pipeline;

/** A release manager's decision, sent through the API as a workflow update. */
public record ApprovalDecision(String approver, boolean approved, String comment) {
}
