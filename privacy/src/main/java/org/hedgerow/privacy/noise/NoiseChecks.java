package org.hedgerow.privacy.noise;

import java.math.BigInteger;

/** Up-front parameter checks shared by the mechanisms, with one message template each. */
final class NoiseChecks {

  /** The template for every positive, finite parameter. */
  static final String POSITIVE_FINITE = "%s must be > 0 and finite. Provided value: %s";

  private NoiseChecks() {}

  static void checkPositiveFinite(String name, double value) {
    if (!(value > 0.0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(String.format(POSITIVE_FINITE, name, value));
    }
  }

  static void checkPositive(String name, Rational value) {
    if (value == null || value.signum() <= 0) {
      throw new IllegalArgumentException(String.format(POSITIVE_FINITE, name, value));
    }
  }

  static void checkAtMost(String name, Rational value, BigInteger maxInclusive, String bound) {
    if (value.numerator().compareTo(maxInclusive.multiply(value.denominator())) > 0) {
      throw new IllegalArgumentException(
          String.format("%s must be at most %s. Provided value: %s", name, bound, value));
    }
  }

  static void checkNotNull(String name, Object value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
  }

  static void checkCount(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0. Provided value: " + count);
    }
  }

  static void checkFiniteEntries(double[] x) {
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i])) {
        throw new IllegalArgumentException(
            String.format("x[%d] must be finite. Provided value: %s", i, x[i]));
      }
    }
  }
}
