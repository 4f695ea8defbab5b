package io.rankops.api.rollouts;

import jakarta.validation.constraints.Size;

/** Why a release manager paused, aborted or promoted a rollout; kept in the audit log. */
public record RolloutControl(@Size(max = 2000) String reason) {
}
