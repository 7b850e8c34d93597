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

  /**
   * The next global model from the example-weighted mean of the round's updates alone, which is all
   * that secure aggregation reveals. Server optimisers apply their step to it; rules that need the
   * individual updates (median, trimmed mean, per-update clipping) cannot, and say so through
   * {@link #needsIndividualUpdates()}.
   *
   * @param weightedMeanDelta {@code Σ nₖΔₖ / Σ nₖ}
   */
  default float[] aggregateMean(int round, float[] current, double[] weightedMeanDelta) {
    if (needsIndividualUpdates()) {
      throw new UnsupportedOperationException(getClass().getSimpleName() + " needs the individual updates");
    }
    float[] next = new float[current.length];
    for (int i = 0; i < next.length; i++) {
      next[i] = (float) (current[i] + weightedMeanDelta[i]);
    }
    return next;
  }

  /**
   * The round's aggregation as a running sum, if this rule can work from one (fed in ascending
   * client-id order, it gives exactly what {@link #aggregateFit} gives); empty if the rule needs all
   * updates at once (median, trimmed mean).
   */
  default java.util.Optional<RunningAggregate> runningAggregate(int round, float[] current) {
    return java.util.Optional.empty();
  }

  /** True if {@link #aggregateFit} needs each client's update (so secure aggregation cannot be used). */
  default boolean needsIndividualUpdates() {
    return false;
  }

  /**
   * The strategy's state between rounds (server optimiser moments, adaptive clip norms), so a
   * restarted coordinator continues exactly where it stopped. Empty for stateless strategies.
   */
  default byte[] state() {
    return new byte[0];
  }

  /** Restores what {@link #state()} returned. */
  default void restoreState(byte[] state) {
    if (state.length != 0) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " is stateless but was given "
          + state.length + " bytes of state");
    }
  }
}
