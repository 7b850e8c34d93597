package org.hedgerow.aggregation.strategy;

import java.util.List;
import org.hedgerow.aggregation.model.ModelSpec;

/**
 * How a federation learns: the starting model, what each round asks of clients, and how their
 * updates become the next global model. Shaped after Flower's {@code Strategy}; decorators (for
 * central DP, robust aggregation) wrap a delegate.
 */
public interface Strategy {
  float[] initializeParameters(ModelSpec spec, long seed);

  FitConfig configureFit(int round);

  /**
   * The next global model from the current one and the round's accepted updates. Implementations
   * must not depend on the order of {@code updates} (arrival order is not reproducible).
   */
  float[] aggregateFit(int round, float[] current, List<ClientUpdate> updates);
}
