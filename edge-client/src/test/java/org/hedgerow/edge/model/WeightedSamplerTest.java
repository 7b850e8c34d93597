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
}
