package org.hedgerow.privacy.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DistributedGaussianSumTest {

  @Test
  void rho_largeShares_isSensitivitySquaredOverTwiceTheSurvivorsVariance() {
    // σ² = 100: τ = 10·Σ exp(−2π²·100·k/(k+1)) underflows to 0.
    assertEquals(0.0, DistributedGaussianSum.tau(100, 14));
    assertEquals(50.0 * 50.0 / (2 * 5 * 100.0), DistributedGaussianSum.rho(50, 100, 5, 14, 12_545), 1e-15);
  }

  @Test
  void tau_smallShares_isPositiveAndGrowsWithContributors() {
    double two = DistributedGaussianSum.tau(0.25, 2);
    double ten = DistributedGaussianSum.tau(0.25, 10);
    assertEquals(10 * Math.exp(-2 * Math.PI * Math.PI * 0.25 / 2), two, 1e-15);
    assertTrue(ten > two);
    assertEquals(0.0, DistributedGaussianSum.tau(0.25, 1), "one contributor: a plain discrete Gaussian");
    // So the bound for m in [t, n] uses tau at n: more contributors never lower rho's tau term.
    assertTrue(DistributedGaussianSum.rho(1, 0.25, 2, 10, 100) > DistributedGaussianSum.rho(1, 0.25, 2, 2, 100));
  }

  /** Calibration under dropout: t shares of the returned σ² reach the target z, and barely. */
  @Test
  void shareVarianceFor_threshold_tTimesShareReachesTargetAndIsMinimal() {
    double z = 1.2345;
    double delta = 11_313.5;
    int t = 5;
    int n = 14;
    int d = 12_545;
    double s2 = DistributedGaussianSum.shareVarianceFor(z, delta, t, n, d);
    assertTrue(DistributedGaussianSum.effectiveNoiseMultiplier(delta, s2, t, n, d) >= z);
    assertTrue(DistributedGaussianSum.effectiveNoiseMultiplier(delta, s2 / (1 + 2e-6), t, n, d) < z,
        "within one calibration step of the smallest share that works");
    assertEquals(z * z * delta * delta, t * s2, 1e-5 * z * z * delta * delta, "t·σ² = z²Δ² (τ negligible here)");
    // Each silo's share halves when the threshold doubles: the guarantee rests on t shares, not n.
    double s2AtTen = DistributedGaussianSum.shareVarianceFor(z, delta, 10, n, d);
    assertEquals(s2 / 2, s2AtTen, 1e-5 * s2);
    // The sum of m > t survivors has more noise than accounted: the accounting at t bounds it.
    assertTrue(DistributedGaussianSum.effectiveNoiseMultiplier(delta, s2, n, n, d) > z);
  }

  @Test
  void shareVarianceFor_tinyTarget_isAtLeastAQuarter() {
    assertEquals(DistributedGaussianSum.MIN_SHARE_VARIANCE, DistributedGaussianSum.shareVarianceFor(1e-3, 1, 5, 14, 1),
        1e-9);
  }

  @Test
  void effectiveNoiseMultiplier_asGaussianEvent_hasTheSameRdpCurve() {
    double rho = DistributedGaussianSum.rho(30, 40, 3, 5, 10);
    double z = DistributedGaussianSum.effectiveNoiseMultiplier(30, 40, 3, 5, 10);
    RdpAccountant viaGaussian = new RdpAccountant(RdpOrders.of(2, 8, 32)).compose(new GaussianEvent(z));
    RdpAccountant viaZcdp = new RdpAccountant(RdpOrders.of(2, 8, 32))
        .compose(new DiscreteGaussianEvent(1 / Math.sqrt(2 * rho), 1.0));
    assertEquals(viaZcdp.epsilon(1e-5).epsilon(), viaGaussian.epsilon(1e-5).epsilon(), 1e-12);
  }

  @Test
  void rho_badParameters_throwNamingTheParameter() {
    assertEquals("minSurvivors must be >= 1. Provided value: 0",
        assertThrows(IllegalArgumentException.class, () -> DistributedGaussianSum.rho(1, 1, 0, 3, 1)).getMessage());
    assertEquals("maxContributors must be >= minSurvivors (4). Provided value: 3",
        assertThrows(IllegalArgumentException.class, () -> DistributedGaussianSum.rho(1, 1, 4, 3, 1)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> DistributedGaussianSum.rho(1, 0.1, 1, 3, 1))
        .getMessage().startsWith("shareVariance must be >= 1/4"));
    assertThrows(IllegalArgumentException.class, () -> DistributedGaussianSum.rho(Double.NaN, 1, 1, 3, 1));
    assertThrows(IllegalArgumentException.class, () -> DistributedGaussianSum.shareVarianceFor(0, 1, 1, 3, 1));
  }
}
