package org.hedgerow.edge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;

class WeightedSamplerTest {
  @Test
  void draw_zeroWeight_neverDrawn() {
    PreferenceModel.WeightedSampler s = new PreferenceModel.WeightedSampler(new float[] {0f, 1f, 0f, 3f, 0f});
    for (int i : s.draw(10_000, new SplittableRandom(1))) {
      assertTrue(i == 1 || i == 3, "drew zero-weight row " + i);
    }
  }

  /**
   * χ² goodness of fit of 10^5 draws against weights (1, 2, 3, 4). False-rejection rate α = 1e-4:
   * the critical value is the 1 − 1e-4 quantile of χ² with 3 degrees of freedom. The seed is fixed,
   * so the outcome is deterministic; α says how unlucky a correct sampler would have to be.
   */
  @Test
  void draw_weights1234_frequenciesProportional() {
    float[] w = {1, 2, 3, 4};
    int n = 100_000;
    long[] counts = new long[w.length];
    for (int i : new PreferenceModel.WeightedSampler(w).draw(n, new SplittableRandom(42))) {
      counts[i]++;
    }
    double chi2 = 0;
    for (int k = 0; k < w.length; k++) {
      double expected = n * w[k] / 10.0;
      chi2 += (counts[k] - expected) * (counts[k] - expected) / expected;
    }
    double critical = new ChiSquaredDistribution(w.length - 1).inverseCumulativeProbability(1 - 1e-4);
    assertTrue(chi2 < critical, "chi2 " + chi2 + " >= " + critical);
  }

  @Test
  void constructor_negativeOrNanOrAllZero_rejected() {
    assertThrows(IllegalArgumentException.class, () -> new PreferenceModel.WeightedSampler(new float[] {1f, -1f}));
    assertThrows(IllegalArgumentException.class, () -> new PreferenceModel.WeightedSampler(new float[] {Float.NaN}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PreferenceModel.WeightedSampler(new float[] {0f, 0f}));
    assertEquals("example weights must not all be zero", e.getMessage());
  }

  /** The first index whose cumulative weight exceeds u, by a search over every row: the draw without a guide table. */
  private static int plainSearch(double[] cumulative, double u) {
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  @Test
  void draw_skewedWeightsWithZeroRuns_sameRowsAsPlainSearch() {
    SplittableRandom make = new SplittableRandom(3);
    for (int trial = 0; trial < 50; trial++) {
      float[] w = new float[1 + make.nextInt(2_000)];
      for (int i = 0; i < w.length; i++) {
        int kind = make.nextInt(4);
        w[i] = kind == 0 ? 0f : kind == 1 ? (float) make.nextDouble() * 1e-6f : (float) make.nextDouble() * 50f;
      }
      w[make.nextInt(w.length)] = 1f; // at least one positive weight
      double[] cumulative = new double[w.length];
      double sum = 0;
      for (int i = 0; i < w.length; i++) {
        sum += w[i];
        cumulative[i] = sum;
      }
      int[] drawn = new PreferenceModel.WeightedSampler(w).draw(5_000, new SplittableRandom(trial));
      SplittableRandom replay = new SplittableRandom(trial);
      for (int k = 0; k < drawn.length; k++) {
        assertEquals(plainSearch(cumulative, replay.nextDouble() * sum), drawn[k], "trial " + trial + ", draw " + k);
      }
    }
  }
}
