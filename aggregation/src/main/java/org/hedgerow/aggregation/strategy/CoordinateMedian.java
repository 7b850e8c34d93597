package org.hedgerow.aggregation.strategy;

/**
 * Coordinate-wise median of the clients' deltas (Yin et al. 2018): each coordinate moves by the
 * median of the clients' values for it (the mean of the two middle values for an even count).
 * Fewer than half of the clients, however extreme, cannot move a coordinate outside the range of
 * the honest clients' values.
 */
public final class CoordinateMedian extends CoordinateWiseRule {
  public CoordinateMedian(FitConfig fitConfig) {
    super(fitConfig);
  }

  @Override
  protected double combine(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
