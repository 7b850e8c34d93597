package org.hedgerow.aggregation.strategy;

/**
 * One client's accepted contribution to a round.
 *
 * @param clientId who sent it
 * @param examples how many training examples produced it (FedAvg's weight)
 * @param delta local model minus the global model it started from
 */
public record ClientUpdate(String clientId, long examples, float[] delta) {
  public ClientUpdate {
    if (examples < 1) {
      throw new IllegalArgumentException("examples must be >= 1. Provided value: " + examples);
    }
  }
}
