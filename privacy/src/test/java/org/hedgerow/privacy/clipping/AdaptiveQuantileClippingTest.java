package org.hedgerow.privacy.clipping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.hedgerow.privacy.accounting.GaussianEvent;
import org.hedgerow.privacy.accounting.RdpAccountant;
import org.junit.jupiter.api.Test;

class AdaptiveQuantileClippingTest {

  private static AdaptiveQuantileClipping noiseless(double gamma, double eta, double m) {
    return new AdaptiveQuantileClipping(gamma, eta, 1.0, m, () -> 0.0);
  }

  @Test
  void noisedUnclippedFraction_noNoise_isCentredCountOverExpectedClients() {
    // Norms vs C = 1: two of four are within (0.5, 0.9) → Σ(b − 1/2) = 0 → b̃ = 1/2.
    AdaptiveQuantileClipping clipping = noiseless(0.5, 0.2, 4);
    assertEquals(0.5, clipping.noisedUnclippedFraction(1.0, new double[] {0.5, 1.5, 2.5, 0.9}));
    // Three of four within: Σ(b − 1/2) = 1 → b̃ = 1/2 + 1/4.
    assertEquals(0.75, clipping.noisedUnclippedFraction(1.0, new double[] {0.5, 1.0, 2.5, 0.9}));
  }

  @Test
  void noisedUnclippedFraction_withNoiseDraw_addsNoiseOverExpectedClients() {
    AdaptiveQuantileClipping clipping = new AdaptiveQuantileClipping(0.5, 0.2, 1.0, 8, () -> 2.0);
    // 3 of 6 unclipped: Σ(b − 1/2) = 0; (0 + 2)/8 = 1/4.
    assertEquals(0.75, clipping.noisedUnclippedFraction(3, 6));
  }

  @Test
  void nextClipNorm_fractionAtTarget_keepsClip() {
    assertEquals(1.5, noiseless(0.5, 0.2, 10).nextClipNorm(1.5, 0.5));
  }

  @Test
  void nextClipNorm_allUnclipped_shrinksByExpOfMinusEtaTimesGap() {
    AdaptiveQuantileClipping clipping = noiseless(0.5, 0.2, 10);
    assertEquals(2 * Math.exp(-0.1), clipping.nextClipNorm(2, 1.0));
    assertEquals(2 * Math.exp(0.1), clipping.nextClipNorm(2, 0.0));
  }

  /**
   * Behaviour, not a hypothesis test: with norms uniform on [0, 10] (median 5), σ_b = m/20 and
   * the paper's η = 0.2, 400 rounds of 100 clients move C from 0.1 to the median. With the fixed
   * seeds the final C is deterministic; a wrong sign or step would leave it far from 5.
   */
  @Test
  void update_manyRounds_convergesToMedianNorm() {
    Random noise = new Random(3);
    Random data = new Random(4);
    double m = 100;
    AdaptiveQuantileClipping clipping =
        new AdaptiveQuantileClipping(0.5, 0.2, m / 20, m, () -> noise.nextGaussian() * (m / 20));
    double clip = 0.1;
    for (int round = 0; round < 400; round++) {
      double[] norms = new double[(int) m];
      for (int i = 0; i < norms.length; i++) {
        norms[i] = 10 * data.nextDouble();
      }
      clip = clipping.update(clip, norms);
    }
    assertTrue(clip > 4.0 && clip < 6.0, "clip=" + clip);
  }

  /** The value query at z_Δ plus the count query at 2σ_b compose to exactly a Gaussian at z. */
  @Test
  void valueNoiseMultiplier_composedWithCountQuery_equalsTotalNoise() {
    double z = 1.0;
    double sigmaB = 5.0;
    double zValue = AdaptiveQuantileClipping.valueNoiseMultiplier(z, sigmaB);
    assertEquals(1 / Math.sqrt(1 - 1 / 100.0), zValue, 1e-15);
    AdaptiveQuantileClipping clipping = new AdaptiveQuantileClipping(0.5, 0.2, sigmaB, 100);
    double[] joint =
        new RdpAccountant().compose(new GaussianEvent(zValue)).compose(clipping.countEvent()).rdp();
    double[] single = new RdpAccountant().compose(new GaussianEvent(z)).rdp();
    assertArrayEquals(single, joint, 1e-12);
  }

  @Test
  void valueNoiseMultiplier_countNoiseTooSmall_throws() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AdaptiveQuantileClipping.valueNoiseMultiplier(2.0, 1.0));
    assertTrue(e.getMessage().startsWith("countNoiseStddev must be > totalNoiseMultiplier / 2"));
  }

  @Test
  void constructor_badParameters_throw() {
    assertThrows(
        IllegalArgumentException.class, () -> new AdaptiveQuantileClipping(1.5, 0.2, 1, 10));
    assertThrows(
        IllegalArgumentException.class, () -> new AdaptiveQuantileClipping(0.5, 0, 1, 10));
    assertThrows(
        IllegalArgumentException.class, () -> new AdaptiveQuantileClipping(0.5, 0.2, -1, 10));
    assertThrows(
        IllegalArgumentException.class,
        () -> new AdaptiveQuantileClipping(0.5, 0.2, 1, Double.NaN));
    assertThrows(
        IllegalArgumentException.class, () -> noiseless(0.5, 0.2, 4).noisedUnclippedFraction(5, 4));
  }

  /** The default constructor draws the count noise from the snapped Gaussian mechanism. */
  @Test
  void noisedUnclippedFraction_secureNoise_isNearTrueFraction() {
    AdaptiveQuantileClipping clipping = new AdaptiveQuantileClipping(0.5, 0.2, 1.0, 1000);
    // 700 of 1000 unclipped; noise σ_b/m = 0.001, so 0.05 away would be a 50σ event.
    assertEquals(0.7, clipping.noisedUnclippedFraction(700, 1000), 0.05);
  }
}
