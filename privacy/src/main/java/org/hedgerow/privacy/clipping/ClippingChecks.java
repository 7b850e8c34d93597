package org.hedgerow.privacy.clipping;

/** Up-front parameter checks for the clipping package, one message template each. */
final class ClippingChecks {

  private ClippingChecks() {}

  static void checkPositiveFinite(String name, double value) {
    if (!(value > 0.0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          String.format("%s must be > 0 and finite. Provided value: %s", name, value));
    }
  }

  static void checkNonNegativeFinite(String name, double value) {
    if (!(value >= 0.0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          String.format("%s must be >= 0 and finite. Provided value: %s", name, value));
    }
  }

  static void checkVector(String name, double[] v) {
    if (v == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        throw new IllegalArgumentException(
            String.format("%s[%d] must be finite. Provided value: %s", name, i, v[i]));
      }
    }
  }
}
