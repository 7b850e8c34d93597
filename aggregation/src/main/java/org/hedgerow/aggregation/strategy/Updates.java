package org.hedgerow.aggregation.strategy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What every aggregation rule does with a round's updates before its own arithmetic: check them
 * against the model's dimension and take them in client-id order, so no result depends on which
 * upload arrived first. Also the example-weighted mean that FedAvg and the server optimisers share.
 */
public final class Updates {
  private Updates() {}

  /**
   * The updates in client-id order, each checked to have {@code dimension} entries.
   *
   * @throws IllegalArgumentException no updates, or an update of the wrong dimension
   */
  public static List<ClientUpdate> sortedChecked(List<ClientUpdate> updates, int dimension) {
    if (updates.isEmpty()) {
      throw new IllegalArgumentException("cannot aggregate a round without updates");
    }
    List<ClientUpdate> sorted = new ArrayList<>(updates);
    sorted.sort(Comparator.comparing(ClientUpdate::clientId));
    for (ClientUpdate u : sorted) {
      if (u.delta().length != dimension) {
        throw new IllegalArgumentException("update of " + u.clientId() + " has " + u.delta().length
            + " entries, the model has " + dimension);
      }
    }
    return sorted;
  }

  /** Σ nₖΔₖ / Σ nₖ, in double, clients taken in id order. */
  public static double[] weightedMean(List<ClientUpdate> updates, int dimension) {
    WeightedSum sum = new WeightedSum(dimension);
    for (ClientUpdate u : sortedChecked(updates, dimension)) {
      sum.addWeighted(u);
    }
    return sum.mean();
  }

  /**
   * A running example-weighted mean whose {@code finish} hands the mean to {@code step} (FedAvg adds
   * it to the model, a server optimiser takes its step with it).
   */
  static RunningAggregate weightedMeanThen(int dimension, java.util.function.Function<double[], float[]> step) {
    WeightedSum sum = new WeightedSum(dimension);
    return new RunningAggregate() {
      @Override
      public void add(ClientUpdate update) {
        sum.addWeighted(update);
      }

      @Override
      public int count() {
        return sum.count();
      }

      @Override
      public float[] finish() {
        return step.apply(sum.mean());
      }
    };
  }

  /** The L2 norm of {@code x}, accumulated in double. */
  public static double l2Norm(float[] x) {
    double s = 0;
    for (float v : x) {
      s += (double) v * v;
    }
    return Math.sqrt(s);
  }

  /** {@code current + delta}, each coordinate rounded once to float. */
  static float[] apply(float[] current, double[] delta) {
    float[] next = new float[current.length];
    for (int i = 0; i < next.length; i++) {
      next[i] = (float) (current[i] + delta[i]);
    }
    return next;
  }
}
