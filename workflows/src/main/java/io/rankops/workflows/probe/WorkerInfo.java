package io.rankops.workflows.probe;

/**
 * What a worker says about itself when probed. Field names are the JSON contract with the
 * Python trainer, which answers with the same keys.
 */
public record WorkerInfo(String taskQueue, String identity, String runtime, String version) {
}
