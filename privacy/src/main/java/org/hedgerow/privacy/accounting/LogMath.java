package org.hedgerow.privacy.accounting;

import org.apache.commons.math3.special.Erf;

/** Arithmetic on numbers held as their natural logarithms, so that sums of huge terms stay finite. */
final class LogMath {

  private static final double HALF_LOG_PI = 0.5 * Math.log(Math.PI);

  private LogMath() {}

  /** log(e^a + e^b). */
  static double logAdd(double a, double b) {
    double lo = Math.min(a, b);
    double hi = Math.max(a, b);
    if (lo == Double.NEGATIVE_INFINITY || hi == Double.POSITIVE_INFINITY) {
      return hi;
    }
    return Math.log1p(Math.exp(lo - hi)) + hi;
  }

  /**
   * log(e^a − e^b) for a ≥ b.
   *
   * @throws ArithmeticException if a < b (the difference would be negative)
   */
  static double logSub(double a, double b) {
    if (a < b) {
      throw new ArithmeticException("log-space subtraction with a negative result: " + a + " < " + b);
    }
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    if (a == b) {
      return Double.NEGATIVE_INFINITY;
    }
    double d = Math.expm1(a - b);
    if (Double.isInfinite(d)) {
      return a; // e^b is below a's precision
    }
    return Math.log(d) + b;
  }

  /**
   * log(erfc(x)), accurate far into the upper tail where erfc(x) itself underflows.
   *
   * <p>Up to x = 25 this is log of commons-math's erfc (a continued fraction with relative
   * accuracy ~1e-15; erfc(25) ≈ 8e-274 is still a normal double). Beyond, it uses the asymptotic
   * series erfc(x) = e^(−x²)/(x√π) · (1 − 1/(2x²) + 3/(4x⁴) − 15/(8x⁶) + 105/(16x⁸) − …), whose
   * truncation error at x ≥ 25 is below 1e-12 relative.
   */
  static double logErfc(double x) {
    if (x <= 25) {
      return Math.log(Erf.erfc(x));
    }
    double u = 1 / (2 * x * x); // 1/(2x²)
    double series = 1 - u * (1 - 3 * u * (1 - 5 * u * (1 - 7 * u)));
    return -x * x - Math.log(x) - HALF_LOG_PI + Math.log(series);
  }
}
