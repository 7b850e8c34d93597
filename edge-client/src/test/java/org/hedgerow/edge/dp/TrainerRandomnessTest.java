package org.hedgerow.edge.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.hedgerow.privacy.noise.GaussianNoise;
import org.junit.jupiter.api.Test;

/**
 * Statistical checks of the randomness the DP analysis assumes, on the production sources
 * ({@code SecureRandom} sampling, {@link GaussianNoise}): Poisson inclusion at rate q, independent
 * across customers and steps, and noise of variance (σC)² per coordinate. Each test states its
 * false-rejection rate: the chance that a correct implementation fails it.
 */
class TrainerRandomnessTest {
  private static final double DELTA = 1e-5;

  /** Customer k's gradient is e_k (norm 1): the step's sum shows exactly who was sampled. */
  private static UserLevelDpTrainerTest.FakeGradients unitGradients(int n) {
    double[][] g = new double[n][n];
    for (int k = 0; k < n; k++) {
      g[k][k] = 1;
    }
    return new UserLevelDpTrainerTest.FakeGradients(g);
  }

  @Test
  void poissonSampling_secureRandom_rateQAndIndependent() {
    int n = 200;
    int steps = 500;
    double q = 0.3;
    UserLevelDpTrainerTest.FakeGradients source = unitGradients(n);
    // Production sampler (SecureRandom via the public constructor's default), no noise, so the
    // sum reveals the sample; the denominator is q·n.
    UserLevelDpTrainer t = new UserLevelDpTrainer(new DpConfig(1, 1, q, 1, 0.01, 8, DELTA), source, n,
        new java.security.SecureRandom(), (x, sd) -> x.clone());
    long[] counts = new long[2];
    int[] inclusions = new int[n];
    int pairBoth = 0; // customers 0 and 1 sampled together
    int consecutiveBoth = 0; // customer 0 sampled in step s and s + 1
    boolean previous0 = false;
    Set<Integer> sizes = new HashSet<>();
    double sumSize = 0;
    double sumSizeSq = 0;
    for (int s = 0; s < steps; s++) {
      double[] mean = t.noisyMeanGradient(new float[n], counts);
      int size = 0;
      boolean[] in = new boolean[n];
      for (int k = 0; k < n; k++) {
        in[k] = Math.abs(mean[k] * q * n - 1) < 1e-9;
        inclusions[k] += in[k] ? 1 : 0;
        size += in[k] ? 1 : 0;
      }
      pairBoth += in[0] && in[1] ? 1 : 0;
      consecutiveBoth += previous0 && in[0] ? 1 : 0;
      previous0 = in[0];
      sizes.add(size);
      sumSize += size;
      sumSizeSq += (double) size * size;
    }
    // Overall rate: Bin(n·steps = 100000, 0.3) has sd 144.9; 6 sd bounds (false rejection < 2e-9).
    long total = 0;
    for (int c : inclusions) {
      total += c;
    }
    double expected = q * n * steps;
    double sd = Math.sqrt(n * steps * q * (1 - q));
    assertTrue(Math.abs(total - expected) < 6 * sd, "inclusions " + total + ", expected " + expected);
    // Per customer: Bin(500, 0.3), sd 10.25; 6 sd for each of 200 customers (union: < 4e-7).
    double sdOne = Math.sqrt(steps * q * (1 - q));
    for (int k = 0; k < n; k++) {
      assertTrue(Math.abs(inclusions[k] - q * steps) < 6 * sdOne, "customer " + k + " included " + inclusions[k]);
    }
    // Independence across customers and across steps: joint rates q² = 0.09 of 500 (and 499)
    // pairs, Bin sd ≈ 6.4; 6 sd each (false rejection < 4e-9).
    double sdPair = Math.sqrt(steps * q * q * (1 - q * q));
    assertTrue(Math.abs(pairBoth - q * q * steps) < 6 * sdPair, "customers 0 and 1 together " + pairBoth);
    assertTrue(Math.abs(consecutiveBoth - q * q * (steps - 1)) < 6 * sdPair, "customer 0 twice running " + consecutiveBoth);
    // Sample sizes vary as Bin(200, 0.3): variance 42. Its estimate over 500 steps has sd ≈ 2.7
    // (≈ 42·√(2/499)); accept 42 ± 6 sd (false rejection < 2e-9). A fixed-size sampler would fail.
    double mean = sumSize / steps;
    double var = (sumSizeSq - steps * mean * mean) / (steps - 1);
    assertTrue(Math.abs(var - n * q * (1 - q)) < 6 * 2.7, "sample size variance " + var);
    assertTrue(sizes.size() > 10, "sample sizes must vary");
    assertEquals(total, counts[0]);
  }

  @Test
  void noise_realGaussian_perCoordinateVarianceIsSigmaCSquared() {
    // Zero gradients: the step is noise only, N(0, (σC)²)/(qN) per coordinate. With d = 20000
    // coordinates the sample variance of (qN/σC)·mean has sd √(2/d) = 0.01; accept 1 ± 0.06
    // (6 sd, false rejection < 2e-9). A noise scale off by 10% in σ (21% in σ²) fails.
    int d = 20000;
    int n = 4;
    double sigma = 1.7;
    double clip = 0.3;
    double q = 0.5;
    double[][] zero = new double[n][d];
    UserLevelDpTrainer t = new UserLevelDpTrainer(new DpConfig(sigma, clip, q, 1, 0.01, 8, DELTA),
        new UserLevelDpTrainerTest.FakeGradients(zero), n);
    double[] mean = t.noisyMeanGradient(new float[d], new long[2]);
    double sum = 0;
    double sumSq = 0;
    for (double v : mean) {
      double z = v * q * n / (sigma * clip);
      sum += z;
      sumSq += z * z;
    }
    double m = sum / d;
    double var = (sumSq - d * m * m) / (d - 1);
    assertTrue(Math.abs(var - 1) < 0.06, "normalised variance " + var);
    // Mean: sd 1/√d = 0.0071; 6 sd (false rejection < 2e-9).
    assertTrue(Math.abs(m) < 6 / Math.sqrt(d), "normalised mean " + m);
  }
}
