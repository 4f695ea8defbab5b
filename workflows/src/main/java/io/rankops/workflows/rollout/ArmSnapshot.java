package io.rankops.workflows.rollout;

/** Both arms read at one moment; champion is null while no champion serves. */
public record ArmSnapshot(ArmMetrics champion, ArmMetrics candidate) {
}
