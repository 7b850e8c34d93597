package org.hedgerow.aggregation.strategy;

/**
 * The running {@code Σ wₖΔₖ} and {@code Σ wₖ} of a round, in double, with the checks every rule
 * makes on its input: each update has the model's dimension, and client ids strictly ascend (the
 * one order that makes the double sums independent of arrival order).
 */
public final class WeightedSum {
  private final double[] sum;
  private double total;
  private int count;
  private String last;

  public WeightedSum(int dimension) {
    this.sum = new double[dimension];
  }

  /** Checks {@code u} and returns its delta; the caller then adds it. */
  private float[] next(ClientUpdate u) {
    if (u.delta().length != sum.length) {
      throw new IllegalArgumentException("update of " + u.clientId() + " has " + u.delta().length
          + " entries, the model has " + sum.length);
    }
    if (last != null && u.clientId().compareTo(last) <= 0) {
      throw new IllegalArgumentException("update of " + u.clientId() + " comes after " + last
          + ": a running sum takes client ids in ascending order");
    }
    last = u.clientId();
    count++;
    return u.delta();
  }

  /** Adds {@code nₖΔₖ}, weighted by the update's example count. */
  public void addWeighted(ClientUpdate u) {
    float[] d = next(u);
    double w = u.examples();
    total += w;
    for (int i = 0; i < sum.length; i++) {
      sum[i] += w * d[i];
    }
  }

  /** Adds {@code transform(Δₖ)} (e.g. the clipped delta) with weight 1. */
  public void addUnweighted(ClientUpdate u, java.util.function.Function<float[], double[]> transform) {
    double[] transformed = transform.apply(next(u));
    total += 1;
    for (int i = 0; i < sum.length; i++) {
      sum[i] += transformed[i];
    }
  }

  public int count() {
    return count;
  }

  /** The sum itself (not a copy). */
  public double[] sum() {
    return sum;
  }

  /** {@code Σ wₖΔₖ / Σ wₖ}, in place: the sum is consumed. */
  public double[] mean() {
    if (count == 0) {
      throw new IllegalArgumentException("cannot aggregate a round without updates");
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= total;
    }
    return sum;
  }
}
