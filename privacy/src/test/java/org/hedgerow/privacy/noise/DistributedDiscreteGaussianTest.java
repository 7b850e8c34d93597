package org.hedgerow.privacy.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The share mechanism of distributed DP. Every statistical check is at false-rejection rate
 * α = 10⁻⁴ (normal approximation for the moment and tail checks, the χ² quantile for the fit); seeds
 * are fixed, so the tests are deterministic, and α says how often a correct sampler would fail with
 * a random seed.
 */
class DistributedDiscreteGaussianTest {
  private static final double ALPHA = 1e-4;

  @Test
  void addShare_sigmaSquared50_meanVarianceAndTailMatchExactPmf() {
    int n = 100_000;
    double s2 = 50;
    long support = 80;
    LongToDoubleFunction pmf = Stats.discreteGaussianPmf(s2, support);
    double[] m = Stats.moments(pmf, support);
    long[] shares = new DistributedDiscreteGaussian(new Random(21)).addShare(new long[n], s2);
    double[] x = Stats.toDoubles(shares);
    double z = Stats.zCritical(ALPHA);
    assertEquals(0.0, Stats.mean(x), z * Math.sqrt(m[1] / n));
    assertEquals(m[1], Stats.variance(x), z * Math.sqrt((m[2] - m[1] * m[1]) / n));
    // Tail: P(|Y| >= 2σ) from the pmf against the observed count, a binomial at the same α.
    long k = (long) Math.ceil(2 * Math.sqrt(s2));
    double p = 0;
    for (long y = k; y <= support; y++) {
      p += 2 * pmf.applyAsDouble(y);
    }
    long count = java.util.Arrays.stream(shares).filter(y -> Math.abs(y) >= k).count();
    assertEquals(n * p, count, z * Math.sqrt(n * p * (1 - p)), "tail count beyond " + k);
  }

  /**
   * The sum of t shares is not a discrete Gaussian but the t-fold convolution of one; it fits that
   * convolution (χ², α = 10⁻⁴) and has variance t·σ².
   */
  @Test
  void addShare_sumOfFiveShares_fitsConvolutionWithVarianceFiveSigmaSquared() {
    int n = 100_000;
    int t = 5;
    double s2 = 2;
    long one = 20;
    long[] sum = new long[n];
    DistributedDiscreteGaussian mechanism = new DistributedDiscreteGaussian(new Random(22));
    for (int i = 0; i < t; i++) {
      sum = mechanism.addShare(sum, s2);
    }
    double[] pmf = convolvedPmf(Stats.discreteGaussianPmf(s2, one), one, t);
    long support = one * t;
    Stats.ChiSquare chi = Stats.chiSquare(sum, y -> Math.abs(y) > support ? 0 : pmf[(int) (y + support)], support);
    assertTrue(chi.statistic() < chi.criticalValue(ALPHA), "chi2 " + chi.statistic() + " vs " + chi.criticalValue(ALPHA));
    double variance = 0;
    double fourth = 0;
    for (int i = 0; i < pmf.length; i++) {
      double y = i - support;
      variance += y * y * pmf[i];
      fourth += y * y * y * y * pmf[i];
    }
    assertEquals(t * s2, variance, 1e-6, "the convolution's variance is t·σ² (σ² of N_Z(0, 2) is within 1e-6 of 2)");
    double[] x = Stats.toDoubles(sum);
    assertEquals(variance, Stats.variance(x), Stats.zCritical(ALPHA) * Math.sqrt((fourth - variance * variance) / n));
  }

  private static double[] convolvedPmf(LongToDoubleFunction pmf, long support, int times) {
    double[] one = new double[(int) (2 * support + 1)];
    for (int i = 0; i < one.length; i++) {
      one[i] = pmf.applyAsDouble(i - support);
    }
    double[] acc = one;
    for (int k = 1; k < times; k++) {
      double[] next = new double[acc.length + one.length - 1];
      for (int i = 0; i < acc.length; i++) {
        for (int j = 0; j < one.length; j++) {
          next[i + j] += acc[i] * one[j];
        }
      }
      acc = next;
    }
    return acc;
  }

  @Test
  void addShare_varianceBelowQuarter_throwsNamingTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DistributedDiscreteGaussian().addShare(new long[3], 0.2));
    assertEquals("shareVariance must be >= 1/4 (sigma >= 1/2) and finite. Provided value: 0.2", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new DistributedDiscreteGaussian().addShare(new long[3],
        Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> new DistributedDiscreteGaussian().addShare(null, 1));
  }

  @Test
  void addShare_input_isNotModified() {
    long[] x = {7, -7, 0};
    long[] y = new DistributedDiscreteGaussian(new Random(1)).addShare(x, 4);
    assertEquals(7, x[0]);
    assertEquals(3, y.length);
  }
}
