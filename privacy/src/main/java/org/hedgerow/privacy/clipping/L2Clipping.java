package org.hedgerow.privacy.clipping;

/**
 * Flat L2 clipping: scale a vector down, never up, so that its Euclidean norm is at most a bound
 * C. This is what bounds one contributor's influence (the L2 sensitivity) before Gaussian noise of
 * standard deviation z·C is added (Abadi et al. 2016, "Deep Learning with Differential Privacy";
 * McMahan et al. 2018, "Learning Differentially Private Recurrent Language Models").
 *
 * <p>The result is guaranteed to have a floating-point norm ≤ C: if rounding of the scale factor
 * leaves it an ulp above, the factor is nudged down until it is not.
 */
public final class L2Clipping {

  private L2Clipping() {}

  /** The Euclidean norm, computed without overflow or underflow for any finite vector. */
  public static double norm(double[] v) {
    ClippingChecks.checkVector("v", v);
    return normOf(v, 0, v.length);
  }

  /**
   * Returns a copy of {@code v} scaled by min(1, C/‖v‖₂).
   *
   * @throws IllegalArgumentException if v is null or holds NaN or ±∞, or C is not positive and
   *     finite
   */
  public static double[] clip(double[] v, double bound) {
    ClippingChecks.checkVector("v", v);
    ClippingChecks.checkPositiveFinite("bound", bound);
    double[] out = v.clone();
    clipInPlace(out, 0, out.length, bound);
    return out;
  }

  /** Whether ‖v‖₂ ≤ C, i.e. clipping at C leaves v unchanged. */
  public static boolean isWithin(double[] v, double bound) {
    return norm(v) <= bound;
  }

  /** Clips {@code v[from, to)} in place to norm ≤ bound; returns the norm before clipping. */
  static double clipInPlace(double[] v, int from, int to, double bound) {
    double norm = normOf(v, from, to);
    if (norm <= bound) {
      return norm;
    }
    double[] original = java.util.Arrays.copyOfRange(v, from, to);
    double scale = bound / norm;
    while (true) {
      for (int i = from; i < to; i++) {
        v[i] = original[i - from] * scale;
      }
      if (normOf(v, from, to) <= bound) {
        return norm;
      }
      scale = Math.nextDown(scale); // rounding left us an ulp above the bound
    }
  }

  static double normOf(double[] v, int from, int to) {
    double max = 0;
    for (int i = from; i < to; i++) {
      max = Math.max(max, Math.abs(v[i]));
    }
    if (max == 0) {
      return 0;
    }
    if (max > 0x1.0p-500 && max < 0x1.0p500) {
      // No squares can overflow or underflow here; the plain sum is the most accurate choice.
      double sum = 0;
      for (int i = from; i < to; i++) {
        sum += v[i] * v[i];
      }
      return Math.sqrt(sum);
    }
    double sum = 0;
    for (int i = from; i < to; i++) {
      double r = v[i] / max;
      sum += r * r;
    }
    return max * Math.sqrt(sum);
  }
}
