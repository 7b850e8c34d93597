package org.hedgerow.aggregation.strategy;

/**
 * A round's aggregation fed one update at a time, for rules whose next model depends on the updates
 * only through a sum (FedAvg, the server optimisers, central DP): the coordinator then holds one
 * running sum instead of every update until the round closes. Updates must come in ascending
 * client-id order, the order {@link Strategy#aggregateFit} sums in, so the result is bit for bit
 * the one {@code aggregateFit} gives for the same updates, whatever order they arrived in.
 */
public interface RunningAggregate {
  /**
   * Adds the next update. Its delta is not kept (the caller may reuse the array).
   *
   * @throws IllegalArgumentException if its dimension is not the model's or its client id does not
   *     come after the previous one's
   */
  void add(ClientUpdate update);

  /** Updates added so far. */
  int count();

  /**
   * The next global model, as {@link Strategy#aggregateFit} would return it for the added updates.
   * Called once.
   *
   * @throws IllegalArgumentException if no update was added
   */
  float[] finish();
}
