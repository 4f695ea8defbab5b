package io.rankops.api.approvals;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A release manager's answer; the workflow insists on a comment when it is a rejection. */
public record DecisionRequest(@NotNull Boolean approved, @Size(max = 2000) String comment) {
}
