package org.hedgerow.aggregation.strategy;

import java.util.Arrays;
import java.util.List;
import org.hedgerow.aggregation.model.ModelSpec;

/**
 * A robust aggregation rule applied coordinate by coordinate (Yin et al. 2018, "Byzantine-Robust
 * Distributed Learning: Towards Optimal Statistical Rates"): for each coordinate the clients' values
 * are sorted and reduced to one statistic that a few extreme values cannot drag far, and the model
 * moves by it. Clients count equally, not by example count: a weight is whatever the client claims,
 * so weighting would hand a dishonest client the influence the rule is meant to deny it.
 *
 * <p>Needs every client's update, so it cannot run behind secure aggregation. Stateless. The
 * values are sorted per coordinate, so the result does not depend on arrival order.
 */
public abstract class CoordinateWiseRule implements Strategy {
  private final FedAvg base;

  protected CoordinateWiseRule(FitConfig fitConfig) {
    this.base = new FedAvg(fitConfig);
  }

  /** The statistic of one coordinate's values, given in ascending order. */
  protected abstract double combine(double[] sorted);

  /** Refuses a round with too few updates for the rule (the message says how many it needs). */
  protected void checkCount(int updates) {}

  @Override
  public final float[] initializeParameters(ModelSpec spec, long seed) {
    return base.initializeParameters(spec, seed);
  }

  @Override
  public final FitConfig configureFit(int round) {
    return base.configureFit(round);
  }

  @Override
  public final float[] aggregateFit(int round, float[] current, List<ClientUpdate> updates) {
    List<ClientUpdate> sorted = Updates.sortedChecked(updates, current.length);
    checkCount(sorted.size());
    double[] values = new double[sorted.size()];
    double[] delta = new double[current.length];
    for (int i = 0; i < current.length; i++) {
      for (int k = 0; k < values.length; k++) {
        values[k] = sorted.get(k).delta()[i];
      }
      Arrays.sort(values);
      delta[i] = combine(values);
    }
    return Updates.apply(current, delta);
  }

  @Override
  public final boolean needsIndividualUpdates() {
    return true;
  }
}
