package io.rankops.workflows.pipeline;

import java.util.Map;

/**
 * Hyperparameters handed to the trainer as they are. Task loss weights are keyed by task
 * (click, cart, purchase); missing tasks weigh 1.
 */
public record TrainingParams(int epochs, int batchSize, double learningRate, int embeddingDim,
        int patience, long seed, Map<String, Double> taskLossWeights) {
}
