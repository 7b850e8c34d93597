package org.hedgerow.aggregation.strategy;

/** Range checks of aggregator parameters; each message names the parameter and the value given. */
final class Checks {
  private Checks() {}

  static double positive(String name, double v) {
    if (!(v > 0 && Double.isFinite(v))) {
      throw new IllegalArgumentException(name + " must be > 0 and finite. Provided value: " + v);
    }
    return v;
  }

  /** In [0, 1): a decay rate. */
  static double decay(String name, double v) {
    if (!(v >= 0 && v < 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1). Provided value: " + v);
    }
    return v;
  }

  /** In (0, 0.5): a fraction trimmed from each side. */
  static double trimFraction(String name, double v) {
    if (!(v > 0 && v < 0.5)) {
      throw new IllegalArgumentException(name + " must be in (0, 0.5). Provided value: " + v);
    }
    return v;
  }
}
