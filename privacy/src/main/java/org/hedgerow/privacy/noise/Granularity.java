package org.hedgerow.privacy.noise;

/**
 * Power-of-two grids for floating-point mechanisms that are safe against Mironov's (2012)
 * least-significant-bit attack.
 *
 * <p>Mironov ("On Significance of the Least Significant Bits for Differential Privacy", CCS 2012)
 * showed that textbook floating-point Laplace noise leaks the input through which doubles can and
 * cannot be produced. The cure used here (as in Google's differential-privacy library) is to
 * release only points of a fixed grid g·Z, g = 2^k: the input is rounded to the grid and an exact
 * integer sample times g is added. The set of possible outputs then no longer depends on the
 * input's low-order bits, and the output is a post-processing of an exact integer mechanism.
 */
final class Granularity {

  /** The grid is 2^40 to 2^41 times finer than the noise scale. */
  static final int RESOLUTION_BITS = 40;

  /** The smallest noise scale for which the grid stays a normal double. */
  static final double MIN_SCALE = 0x1.0p-980;

  private Granularity() {}

  /** g = 2^(⌊log2 scale⌋ − 40), so that scale/g lies in [2^40, 2^41). */
  static double of(double scale) {
    return Math.scalb(1.0, Math.getExponent(scale) - RESOLUTION_BITS);
  }

  static void checkScale(String name, double scale) {
    if (scale < MIN_SCALE) {
      throw new IllegalArgumentException(
          String.format("%s must be at least 2^-980. Provided value: %s", name, scale));
    }
  }

  /**
   * Returns g·(round(x/g) + k), where k is an integer noise sample. The result is always a
   * multiple of g and depends on x only through round(x/g) + k.
   */
  static double release(double x, double g, long k) {
    double kg = k * g; // exact: |k| < 2^53 in practice and g is a power of two
    double out;
    if (Math.abs(x) >= 0x1.0p53 * g) {
      // x is already a multiple of g (its ulp is ≥ g); the correctly rounded sum is a function of
      // the exact sum x + k·g alone, so nothing about x beyond that sum can leak.
      out = x + kg;
    } else {
      // x/g is exact (division by a power of two); rint rounds half to even.
      out = (Math.rint(x / g) + k) * g;
    }
    if (!Double.isFinite(out)) {
      throw new ArithmeticException("noisy value overflowed the double range: " + x);
    }
    return out;
  }
}
