package io.rankops.workflows.pipeline;

import java.util.Map;

/**
 * Sent by the trainer after each epoch, so the status query can show progress and the
 * latest metrics without reading activity heartbeats.
 */
public record TrainingProgress(double fraction, int epoch, double loss, Map<String, Double> metrics) {
}
