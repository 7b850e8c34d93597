package org.hedgerow.aggregation.strategy;

/**
 * Coordinate-wise trimmed mean (Yin et al. 2018): for each coordinate, drop the ⌊β·m⌋ smallest and
 * the ⌊β·m⌋ largest of the m clients' values and average the rest. Up to ⌊β·m⌋ clients, however
 * extreme, are trimmed away. A round where ⌊β·m⌋ would be 0 is refused rather than silently
 * averaged untrimmed, since that would drop the protection the run asked for.
 */
public final class TrimmedMean extends CoordinateWiseRule {
  /** Default β per side: one client in ten. */
  public static final double DEFAULT_TRIM_FRACTION = 0.1;

  private final double trimFraction;

  /** @param trimFraction β, the fraction trimmed from each side, in (0, 0.5) */
  public TrimmedMean(FitConfig fitConfig, double trimFraction) {
    super(fitConfig);
    this.trimFraction = Checks.trimFraction("trim_fraction", trimFraction);
  }

  /** How many values are dropped from each side with {@code m} updates. */
  public int trimmed(int m) {
    return (int) Math.floor(trimFraction * m);
  }

  /** The fewest updates from which at least one value per side is trimmed. */
  public int minimumUpdates() {
    int m = (int) Math.ceil(1 / trimFraction);
    while (trimmed(m) < 1) { // guard against 1/β rounding down
      m++;
    }
    while (m > 1 && trimmed(m - 1) >= 1) {
      m--;
    }
    return m;
  }

  @Override
  protected void checkCount(int updates) {
    if (trimmed(updates) < 1) {
      throw new IllegalArgumentException("trimmed mean with trim_fraction " + trimFraction + " trims nothing from "
          + updates + " updates; it needs at least " + minimumUpdates() + " updates per round");
    }
  }

  @Override
  protected double combine(double[] sorted) {
    int k = trimmed(sorted.length);
    double sum = 0;
    for (int j = k; j < sorted.length - k; j++) {
      sum += sorted[j];
    }
    return sum / (sorted.length - 2 * k);
  }
}
