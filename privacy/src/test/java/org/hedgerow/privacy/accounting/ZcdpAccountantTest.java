package org.hedgerow.privacy.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZcdpAccountantTest {

  @Test
  void compose_discreteGaussianRounds_addRho() {
    ZcdpAccountant accountant =
        new ZcdpAccountant()
            .compose(new DiscreteGaussianEvent(100, 10), 50) // ρ = 100/20000 each
            .compose(new GaussianEvent(2)); // ρ = 1/8
    assertEquals(50 * 0.005 + 0.125, accountant.rho(), 1e-15);
  }

  /** Bun–Steinke Prop. 1.3 by hand: ρ = 0.5, δ = 1e-5 → 0.5 + 2·sqrt(0.5·ln 1e5) = 5.298526. */
  @Test
  void epsilon_standardConversion_matchesClosedForm() {
    EpsilonResult r = ZcdpAccountant.epsilon(0.5, 1e-5, ZcdpConversion.STANDARD);
    assertEquals(0.5 + 2 * Math.sqrt(0.5 * Math.log(1e5)), r.epsilon(), 1e-15);
    assertEquals(5.298526, r.epsilon(), 1e-6);
    assertEquals(1 + Math.sqrt(Math.log(1e5) / 0.5), r.order(), 1e-12);
  }

  /**
   * The tight conversion (CKS 2020 Cor. 13) is the infimum over α; a brute-force scan of 200 000
   * orders must not beat the golden-section search, and it must not exceed the standard bound.
   */
  @ParameterizedTest
  @ValueSource(doubles = {1e-6, 1e-3, 0.05, 0.5, 3, 100})
  void epsilon_tightConversion_isTheMinimumOverOrders(double rho) {
    double delta = 1e-6;
    EpsilonResult tight = ZcdpAccountant.epsilon(rho, delta, ZcdpConversion.TIGHT);
    double scanned = Double.POSITIVE_INFINITY;
    for (int i = 0; i < 200_000; i++) {
      double u = -20 + 40.0 * i / 200_000; // log(α − 1) over [−20, 20]
      scanned = Math.min(scanned, ZcdpAccountant.tightEpsilon(rho, delta, u));
    }
    assertTrue(tight.epsilon() <= scanned + 1e-9 * scanned, tight + " vs " + scanned);
    assertTrue(tight.epsilon() >= scanned - 1e-6 * scanned, tight + " vs " + scanned);
    assertTrue(
        tight.epsilon() <= ZcdpAccountant.epsilon(rho, delta, ZcdpConversion.STANDARD).epsilon());
  }

  /** The tight zCDP path and the RDP accountant agree on the same curve αρ (up to the α grid). */
  @Test
  void epsilon_tight_matchesRdpAccountantOnFineGrid() {
    DiscreteGaussianEvent event = new DiscreteGaussianEvent(40, 8);
    double zcdp = new ZcdpAccountant().compose(event, 20).epsilon(1e-5).epsilon();
    double[] orders = new double[20000];
    for (int i = 0; i < orders.length; i++) {
      orders[i] = 1.001 + i * 0.005;
    }
    double rdp = new RdpAccountant(RdpOrders.of(orders)).compose(event, 20).epsilon(1e-5).epsilon();
    assertTrue(zcdp <= rdp + 1e-9);
    assertEquals(rdp, zcdp, 1e-4 * rdp);
  }

  @Test
  void epsilon_nothingSpent_isZero() {
    assertEquals(0.0, new ZcdpAccountant().compose(new NoOpEvent()).epsilon(1e-5).epsilon());
  }

  @Test
  void supports_poissonSampling_isFalseAndComposeThrows() {
    ZcdpAccountant accountant = new ZcdpAccountant();
    DpEvent sampled = DpEvent.sampledGaussian(1, 0.1, 10);
    assertFalse(accountant.supports(sampled));
    assertTrue(accountant.supports(new SelfComposedEvent(new LaplaceEvent(2), 3)));
    assertThrows(IllegalArgumentException.class, () -> accountant.compose(sampled));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 1.0, 2.0, Double.NaN})
  void epsilon_deltaOutsideUnitInterval_throws(double delta) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ZcdpAccountant().epsilon(delta));
    assertEquals("delta must be in (0, 1). Provided value: " + delta, e.getMessage());
  }
}
