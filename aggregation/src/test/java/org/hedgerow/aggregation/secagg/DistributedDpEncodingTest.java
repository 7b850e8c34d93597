package org.hedgerow.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.hedgerow.privacy.accounting.DistributedGaussianSum;
import org.hedgerow.privacy.clipping.L2Clipping;
import org.junit.jupiter.api.Test;

/**
 * Distributed DP through the real SecAgg protocol in-process ({@link SecAggHarness}: every message
 * through its bytes, real X25519/AES-GCM/Shamir): the unmasked sum decodes to −η·Σ clip(g) of the
 * survivors' customers plus noise of the accounted size.
 */
class DistributedDpEncodingTest {
  private static final int SILOS = 7;
  private static final int CUSTOMERS = 20;
  private static final int D = 200;
  private static final double ETA = 0.5;
  private static final double CLIP = 1.0;

  /** The coordinator's choices (DistributedDpOptions): γηC = √d/0.01, t shares reach z = 1. */
  private static DistributedDpEncoding plan(int n, int t) {
    SecureSumEncoding base = SecureSumEncoding.forClients(n, 1.0, null, null);
    double gamma = Math.sqrt(D) / (0.01 * ETA * CLIP);
    SecureSumEncoding sum = new SecureSumEncoding(((1L << (base.bits() - 1)) - 1) / (gamma * base.weightCap()),
        base.bits(), base.weightCap());
    DistributedDpTerms shape = new DistributedDpTerms(1, CLIP, ETA, t, n, 8, 1e-5, 5);
    double delta = new DistributedDpEncoding(sum, shape, D).l2Sensitivity();
    double s2 = DistributedGaussianSum.shareVarianceFor(1.0, delta, t, n, D);
    return new DistributedDpEncoding(sum, new DistributedDpTerms(s2, CLIP, ETA, t, n, 8, 1e-5, 5), D);
  }

  @Test
  void scale_isTheInverseOfTheDecodeAndInflatesSensitivityByOnePercent() {
    DistributedDpEncoding p = plan(SILOS, 4);
    assertEquals(1.0, p.scale() * p.sum().step() * p.sum().weightCap(), 1e-12);
    assertEquals(1.01, p.roundingInflation(), 1e-6);
    assertTrue(p.effectiveNoiseMultiplier() >= 1.0);
    assertEquals(DistributedGaussianSum.effectiveNoiseMultiplier(p.l2Sensitivity(), p.terms().shareVariance(), 4,
        SILOS, D), p.effectiveNoiseMultiplier());
  }

  /**
   * Two of seven silos drop after sharing keys (t = 4): the sum of the five survivors decodes to their customers'
   * −η·Σ clip(g) with noise of variance 5σ² (integer units: more than the 4σ² accounted). Checks: every coordinate's error within
   * 5.5 standard deviations (α ≈ 200 × 3.8·10⁻⁸ < 10⁻⁵), the weight sum exact, and the error's
   * sample variance over the 200 coordinates within the χ²₂₀₀ interval at α = 10⁻⁴ of 5σ² — so a
   * silo that added no noise, or noise of another size, fails.
   */
  @Test
  void secureSum_fiveOfSevenSurvive_decodesToSurvivorsClippedSumPlusAccountedNoise() {
    int t = 4;
    DistributedDpEncoding p = plan(SILOS, t);
    SecAggHarness h = new SecAggHarness(SecAggConfig.builder(SILOS, D + 1).roundId(31).threshold(t).build(), 3)
        .drop(Stage.MASKED_INPUT, 1, 4);
    Random data = new Random(8);
    double[][] expected = new double[SILOS][D];
    long[] weights = new long[SILOS];
    for (int s = 0; s < SILOS; s++) {
      DistributedDpEncoding.Accumulator acc = p.accumulator();
      for (int c = 0; c < CUSTOMERS; c++) {
        double[] g = new double[D];
        for (int i = 0; i < D; i++) {
          g[i] = data.nextGaussian() * 0.2 + (i % 7 == 0 ? 0.3 : 0); // norm ≈ 3: most are clipped
        }
        double[] clipped = L2Clipping.clip(g, CLIP);
        for (int i = 0; i < D; i++) {
          expected[s][i] -= ETA * clipped[i];
        }
        acc.addCustomer(g);
      }
      weights[s] = 15 + s;
      DistributedDpEncoding.Encoded e = acc.finish(weights[s]);
      assertEquals(CUSTOMERS, e.customers());
      assertEquals(0, e.clampedCoordinates());
      h.inputs[s] = e.input();
    }
    SecAggResult r = h.run();
    assertEquals(5, r.survivorCount());
    SecureSumEncoding.Decoded decoded = p.sum().decode(r.sum(), r.survivorCount());
    long weightSum = 0;
    double[] want = new double[D];
    for (int s : r.survivors()) {
      weightSum += weights[s];
      for (int i = 0; i < D; i++) {
        want[i] += expected[s][i];
      }
    }
    assertEquals(weightSum, decoded.totalWeight());
    double noiseVariance = r.survivorCount() * p.terms().shareVariance(); // integer units, as present
    double sd = Math.sqrt(noiseVariance) / p.scale();
    double sumSquares = 0;
    for (int i = 0; i < D; i++) {
      double err = decoded.weightedDeltaSum()[i] - want[i];
      assertTrue(Math.abs(err) < 5.5 * sd + CUSTOMERS * SILOS / p.scale(), "coordinate " + i + ": error " + err);
      sumSquares += err * p.scale() * err * p.scale();
    }
    double ratio = sumSquares / D / noiseVariance;
    // chi2 with 200 degrees of freedom: the 1e-4/2 and 1 - 1e-4/2 quantiles over 200 are 0.66 and 1.43.
    assertTrue(ratio > 0.66 && ratio < 1.43, "error variance / accounted noise variance = " + ratio);
  }

  @Test
  void addCustomer_wrongLengthOrNaN_throwsNamingIt() {
    DistributedDpEncoding.Accumulator acc = plan(SILOS, 4).accumulator();
    assertEquals("a customer gradient must have 200 entries. Provided length: 3",
        assertThrows(IllegalArgumentException.class, () -> acc.addCustomer(new double[3])).getMessage());
    double[] g = new double[D];
    g[5] = Double.NaN;
    assertEquals("gradient[5] must be finite. Provided value: NaN",
        assertThrows(IllegalArgumentException.class, () -> acc.addCustomer(g)).getMessage());
  }

  @Test
  void terms_badValues_throwNamingTheKey() {
    assertEquals("distributed DP: share_variance must be >= 1/4 and finite. Provided value: 0.1",
        assertThrows(IllegalArgumentException.class,
            () -> new DistributedDpTerms(0.1, 1, 1, 3, 5, 8, 1e-5, 5)).getMessage());
    assertEquals("distributed DP: max_contributors must be >= min_survivors (6). Provided value: 5",
        assertThrows(IllegalArgumentException.class,
            () -> new DistributedDpTerms(1, 1, 1, 6, 5, 8, 1e-5, 5)).getMessage());
  }
}
