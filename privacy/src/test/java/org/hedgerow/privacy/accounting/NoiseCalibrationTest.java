package org.hedgerow.privacy.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NoiseCalibrationTest {

  private static double epsilonAt(double sigma, double q, long steps, double delta) {
    return new RdpAccountant().compose(DpEvent.sampledGaussian(sigma, q, steps)).epsilon(delta)
        .epsilon();
  }

  /**
   * Opacus, accountants_test.py, {@code test_get_noise_multiplier_rdp_epochs}: target ε = 8, δ =
   * 1e-5, q = 0.04, 90 epochs (2250 steps) → 1.416 (4 places). The same bisection from [0, 10]
   * lands on 1.416015625 exactly.
   */
  @Test
  void noiseMultiplierFor_opacusReference_is1point416() {
    double sigma = NoiseCalibration.noiseMultiplierFor(8, 1e-5, 0.04, 2250);
    assertEquals(1.416015625, sigma, 0.0);
    double eps = epsilonAt(sigma, 0.04, 2250, 1e-5);
    assertTrue(eps <= 8 && eps > 8 - NoiseCalibration.DEFAULT_EPSILON_TOLERANCE, "ε=" + eps);
  }

  @Test
  void calibrate_twoPhasesSharingSigma_meetsTargetWithinTolerance() {
    Calibration c =
        NoiseCalibration.calibrate(
            3.0,
            1e-6,
            sigma ->
                ComposedEvent.of(
                    DpEvent.sampledGaussian(sigma, 0.01, 3000),
                    DpEvent.sampledGaussian(sigma, 0.05, 200)),
            RdpOrders.OPACUS,
            RdpConversion.IMPROVED,
            0.001);
    assertTrue(c.epsilon() <= 3.0 && c.epsilon() > 2.999, "ε=" + c.epsilon());
    // A slightly smaller σ overspends: σ is (close to) the smallest that fits.
    double eps =
        new RdpAccountant()
            .compose(DpEvent.sampledGaussian(c.noiseMultiplier() * 0.99, 0.01, 3000))
            .compose(DpEvent.sampledGaussian(c.noiseMultiplier() * 0.99, 0.05, 200))
            .epsilon(1e-6)
            .epsilon();
    assertTrue(eps > 3.0, "ε at 0.99σ = " + eps);
  }

  @Test
  void noiseMultiplierFor_unreachableTarget_throws() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NoiseCalibration.noiseMultiplierFor(1e-9, 1e-12, 1.0, 1_000_000_000L));
    assertTrue(e.getMessage().startsWith("targetEpsilon 1.0E-9 is unreachable"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY})
  void noiseMultiplierFor_badTargetEpsilon_throws(double eps) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NoiseCalibration.noiseMultiplierFor(eps, 1e-5, 0.01, 100));
    assertEquals("targetEpsilon must be > 0 and finite. Provided value: " + eps, e.getMessage());
  }

  @Test
  void noiseMultiplierFor_badDeltaSamplingOrSteps_throwNamingTheParameter() {
    assertEquals(
        "delta must be in (0, 1). Provided value: 1.0",
        assertThrows(
                IllegalArgumentException.class,
                () -> NoiseCalibration.noiseMultiplierFor(1, 1.0, 0.01, 100))
            .getMessage());
    assertEquals(
        "samplingProbability must be in (0, 1]. Provided value: 0.0",
        assertThrows(
                IllegalArgumentException.class,
                () -> NoiseCalibration.noiseMultiplierFor(1, 1e-5, 0.0, 100))
            .getMessage());
    assertEquals(
        "steps must be >= 1. Provided value: 0",
        assertThrows(
                IllegalArgumentException.class,
                () -> NoiseCalibration.noiseMultiplierFor(1, 1e-5, 0.01, 0))
            .getMessage());
  }
}
