package io.rankops.workflows.rollout;

/** Roll out one registered version; workflow id = the pipeline run id + "-rollout". */
public record RolloutRequest(String runId, String modelName, String candidateVersion, RolloutPolicy policy) {
}
