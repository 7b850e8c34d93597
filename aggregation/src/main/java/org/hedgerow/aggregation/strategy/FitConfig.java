package org.hedgerow.aggregation.strategy;

/**
 * What the strategy asks clients to do in a round.
 *
 * @param localEpochs passes over the local examples
 * @param batchSize minibatch size
 * @param seed base seed for the round (clients mix in their own name), so runs repeat
 */
public record FitConfig(int localEpochs, int batchSize, long seed) {
  public FitConfig {
    if (localEpochs < 1) {
      throw new IllegalArgumentException("local epochs must be >= 1. Provided value: " + localEpochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1. Provided value: " + batchSize);
    }
  }
}
