package org.hedgerow.privacy.accounting;

/**
 * Rényi DP of the Poisson-subsampled Gaussian mechanism, at integer and fractional orders.
 *
 * <p>With sampling probability q and noise multiplier σ, the mechanism is (α, log(A_α)/(α−1))-RDP
 * where A_α = E_{z∼μ0}[(μ(z)/μ0(z))^α], μ0 = N(0, σ²) and μ = (1−q)·N(0, σ²) + q·N(1, σ²)
 * (Mironov, Talwar, Zhang 2019, "Rényi Differential Privacy of the Sampled Gaussian Mechanism",
 * arXiv:1908.10530, Section 3.3). A_α is evaluated by their exact series, in log space:
 *
 * <ul>
 *   <li>integer α: A_α = Σ_{i=0..α} C(α, i) q^i (1−q)^(α−i) exp((i² − i)/(2σ²));
 *   <li>fractional α: the integral is split at z0 = σ²·log(1/q − 1) + 1/2 and each side expands
 *       into a binomial series with generalised coefficients C(α, i) (alternating in sign past
 *       i > α) times Gaussian tail masses, written with log(erfc). The series is summed until
 *       past i > α both new terms are below e^−30 (relative to A_α ≥ 1).
 * </ul>
 *
 * <p>This is the computation of TensorFlow Privacy's {@code rdp_accountant} and Opacus' {@code
 * analysis/rdp.py}, reimplemented; results agree with their published test values to ~1e-12.
 */
public final class SampledGaussianRdp {

  private static final double LOG_HALF = Math.log(0.5);
  private static final double SQRT2 = Math.sqrt(2.0);
  private static final int MAX_SERIES_TERMS = 1_000_000;

  private SampledGaussianRdp() {}

  /**
   * The RDP ε(α) of one step of the sampled Gaussian.
   *
   * @param samplingProbability q in (0, 1]; q = 1 gives the plain Gaussian α/(2σ²)
   * @param noiseMultiplier σ > 0
   * @param order α > 1
   */
  public static double rdp(double samplingProbability, double noiseMultiplier, double order) {
    AccountingChecks.checkProbability("samplingProbability", samplingProbability);
    AccountingChecks.checkPositiveFinite("noiseMultiplier", noiseMultiplier);
    AccountingChecks.checkOrder(order);
    if (samplingProbability == 1.0) {
      return order / (2 * noiseMultiplier * noiseMultiplier);
    }
    return logA(samplingProbability, noiseMultiplier, order) / (order - 1);
  }

  /** log(A_α) for 0 < q < 1. */
  static double logA(double q, double sigma, double alpha) {
    if (alpha == Math.rint(alpha) && alpha <= Integer.MAX_VALUE) {
      return logAInteger(q, sigma, (int) alpha);
    }
    return logAFractional(q, sigma, alpha);
  }

  static double logAInteger(double q, double sigma, int alpha) {
    double logQ = Math.log(q);
    double log1mQ = Math.log1p(-q);
    double twoSigmaSq = 2 * sigma * sigma;
    double logA = Double.NEGATIVE_INFINITY;
    double logBinom = 0; // log C(α, 0)
    for (int i = 0; i <= alpha; i++) {
      if (i > 0) {
        logBinom += Math.log(alpha - i + 1) - Math.log(i);
      }
      double term =
          logBinom + i * logQ + (alpha - i) * log1mQ + ((double) i * i - i) / twoSigmaSq;
      logA = LogMath.logAdd(logA, term);
    }
    return logA;
  }

  static double logAFractional(double q, double sigma, double alpha) {
    double logQ = Math.log(q);
    double log1mQ = Math.log1p(-q);
    double sigmaSq = sigma * sigma;
    double twoSigmaSq = 2 * sigmaSq;
    double z0 = sigmaSq * Math.log(1 / q - 1) + 0.5;
    double logA0 = Double.NEGATIVE_INFINITY;
    double logA1 = Double.NEGATIVE_INFINITY;
    double logAbsCoef = 0; // log |C(α, 0)|
    boolean positive = true;
    for (int i = 0; i < MAX_SERIES_TERMS; i++) {
      if (i > 0) {
        double factor = alpha - i + 1; // C(α, i) = C(α, i−1)·(α − i + 1)/i
        logAbsCoef += Math.log(Math.abs(factor)) - Math.log(i);
        if (factor < 0) {
          positive = !positive;
        }
      }
      double j = alpha - i;
      double logT0 = logAbsCoef + i * logQ + j * log1mQ;
      double logT1 = logAbsCoef + j * logQ + i * log1mQ;
      double logE0 = LOG_HALF + LogMath.logErfc((i - z0) / (SQRT2 * sigma));
      double logE1 = LOG_HALF + LogMath.logErfc((z0 - j) / (SQRT2 * sigma));
      double logS0 = logT0 + ((double) i * i - i) / twoSigmaSq + logE0;
      double logS1 = logT1 + (j * j - j) / twoSigmaSq + logE1;
      if (positive) {
        logA0 = LogMath.logAdd(logA0, logS0);
        logA1 = LogMath.logAdd(logA1, logS1);
      } else {
        logA0 = LogMath.logSub(logA0, logS0);
        logA1 = LogMath.logSub(logA1, logS1);
      }
      if (i > alpha && Math.max(logS0, logS1) < -30) {
        return LogMath.logAdd(logA0, logA1);
      }
    }
    throw new ArithmeticException(
        String.format(
            "RDP series did not converge for q=%s, noiseMultiplier=%s, order=%s", q, sigma, alpha));
  }
}
