package org.hedgerow.privacy.noise;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Goodness-of-fit helpers for the sampler tests.
 *
 * <p>Each statistical test fixes its false-rejection rate α in advance: the critical value is the
 * (1 − α) quantile of the reference distribution. The tests use fixed seeds, so they are
 * deterministic, but α says how often a correct sampler would fail with a random seed.
 */
final class Stats {

  private Stats() {}

  /** Pearson's χ² statistic and its degrees of freedom (number of bins − 1). */
  record ChiSquare(double statistic, int degreesOfFreedom) {

    /** The (1 − α) quantile of χ² with this many degrees of freedom. */
    double criticalValue(double alpha) {
      return new ChiSquaredDistribution(null, degreesOfFreedom)
          .inverseCumulativeProbability(1.0 - alpha);
    }
  }

  /**
   * χ² of integer samples against an exact pmf supported on [-support, support]. Adjacent values
   * are pooled, left to right, until each bin expects at least 5 samples (the usual validity rule
   * for Pearson's test); a remainder under 5 joins the last bin. Samples outside the support fall
   * in the end bins.
   */
  static ChiSquare chiSquare(long[] samples, LongToDoubleFunction pmf, long support) {
    int n = samples.length;
    Map<Long, Integer> counts = new HashMap<>();
    for (long s : samples) {
      long clamped = Math.max(-support, Math.min(support, s));
      counts.merge(clamped, 1, Integer::sum);
    }
    List<double[]> bins = new ArrayList<>(); // {expected, observed}
    double expected = 0;
    double observed = 0;
    for (long k = -support; k <= support; k++) {
      expected += n * pmf.applyAsDouble(k);
      observed += counts.getOrDefault(k, 0);
      if (expected >= 5.0) {
        bins.add(new double[] {expected, observed});
        expected = 0;
        observed = 0;
      }
    }
    if (expected > 0 || observed > 0) {
      double[] last = bins.get(bins.size() - 1);
      last[0] += expected;
      last[1] += observed;
    }
    double statistic = 0;
    for (double[] bin : bins) {
      double d = bin[1] - bin[0];
      statistic += d * d / bin[0];
    }
    return new ChiSquare(statistic, bins.size() - 1);
  }

  /** Normalised pmf of N_Z(0, σ²) as a table over [-support, support]. */
  static LongToDoubleFunction discreteGaussianPmf(double sigmaSquared, long support) {
    double[] w = new double[(int) (2 * support + 1)];
    double z = 0;
    for (long k = -support; k <= support; k++) {
      w[(int) (k + support)] = Math.exp(-(double) k * k / (2 * sigmaSquared));
      z += w[(int) (k + support)];
    }
    double norm = z;
    return k -> w[(int) (k + support)] / norm;
  }

  /** Normalised pmf of the discrete Laplace with the given scale: ∝ exp(-|k|/scale). */
  static LongToDoubleFunction discreteLaplacePmf(double scale) {
    double p = Math.exp(-1.0 / scale);
    double c = (1 - p) / (1 + p);
    return k -> c * Math.pow(p, Math.abs(k));
  }

  /** Mean and variance of a pmf on [-support, support]. */
  static double[] moments(LongToDoubleFunction pmf, long support) {
    double m1 = 0;
    double m2 = 0;
    double m4 = 0;
    for (long k = -support; k <= support; k++) {
      double p = pmf.applyAsDouble(k);
      double kk = (double) k * k;
      m1 += p * k;
      m2 += p * kk;
      m4 += p * kk * kk;
    }
    return new double[] {m1, m2 - m1 * m1, m4};
  }

  /** The two-sided normal critical value z with P(|Z| > z) = α. */
  static double zCritical(double alpha) {
    return new NormalDistribution(null, 0, 1).inverseCumulativeProbability(1 - alpha / 2);
  }

  static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  static double variance(double[] x) {
    double m = mean(x);
    double s = 0;
    for (double v : x) {
      s += (v - m) * (v - m);
    }
    return s / (x.length - 1);
  }

  static double[] toDoubles(long[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }
}
