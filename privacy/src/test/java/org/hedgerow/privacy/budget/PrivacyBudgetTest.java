package org.hedgerow.privacy.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hedgerow.privacy.accounting.DpEvent;
import org.hedgerow.privacy.accounting.GaussianEvent;
import org.hedgerow.privacy.accounting.NoiseCalibration;
import org.hedgerow.privacy.accounting.RdpAccountant;
import org.junit.jupiter.api.Test;

class PrivacyBudgetTest {
  private static final double SIGMA = 1.1;
  private static final double Q = 0.05;
  private static final int STEPS = 40;
  private static final double DELTA = 1e-5;

  private static double accountant(long steps) {
    return new RdpAccountant().compose(DpEvent.sampledGaussian(SIGMA, Q, steps)).epsilon(DELTA).epsilon();
  }

  @Test
  void spend_everyRound_epsilonEqualsAccountantOnAllStepsSoFar() {
    PrivacyBudget b = new PrivacyBudget("uk-1", 100, DELTA);
    assertEquals(0, b.epsilon());
    for (int r = 1; r <= 5; r++) {
      Spend s = b.spend(r, "dp-sgd-user", SIGMA, Q, STEPS, 1.0);
      assertEquals(accountant((long) r * STEPS), s.epsilon(), 0.0, "round " + r);
      assertEquals(s.epsilon(), b.epsilon(), 0.0);
      assertEquals(r, s.round());
      assertEquals((long) r * STEPS, b.steps());
    }
    assertEquals(5, b.spends().size());
  }

  @Test
  void refusal_roundThatWouldExceedCap_refusedAndNothingRecorded() {
    double afterThree = accountant(3L * STEPS);
    double afterFour = accountant(4L * STEPS);
    assertTrue(afterFour > afterThree);
    PrivacyBudget b = new PrivacyBudget("uk-1", afterThree, DELTA); // the cap is exactly three rounds' ε
    for (int r = 1; r <= 3; r++) {
      assertTrue(b.refusal(r, SIGMA, Q, STEPS).isEmpty(), "round " + r);
      b.spend(r, "dp-sgd-user", SIGMA, Q, STEPS, 1.0);
    }
    assertEquals(afterThree, b.epsilon(), 0.0);
    assertEquals(afterFour, b.epsilonIf(SIGMA, Q, STEPS), 0.0);
    String why = b.refusal(4, SIGMA, Q, STEPS).orElseThrow();
    assertTrue(why.contains("uk-1 declines round 4") && why.contains(String.format(java.util.Locale.ROOT, "%.6f", afterFour)),
        why);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.spend(4, "dp-sgd-user", SIGMA, Q, STEPS, 1.0));
    assertEquals(why, e.getMessage());
    assertEquals(3, b.rounds());
    assertEquals(afterThree, b.epsilon(), 0.0);
  }

  @Test
  void spend_calibratedPlan_allRoundsFitAndLastEqualsWholeRunEvent() {
    int rounds = 10;
    double sigma = NoiseCalibration.noiseMultiplierFor(8, DELTA, Q, (long) rounds * STEPS);
    PrivacyBudget b = new PrivacyBudget("s", 8, DELTA);
    for (int r = 1; r <= rounds; r++) {
      b.spend(r, "dp-sgd-user", sigma, Q, STEPS, 1.0);
    }
    double whole = new RdpAccountant().compose(DpEvent.sampledGaussian(sigma, Q, (long) rounds * STEPS))
        .epsilon(DELTA).epsilon();
    assertEquals(whole, b.epsilon(), 0.0);
    assertTrue(b.epsilon() <= 8 && b.epsilon() > 8 - NoiseCalibration.DEFAULT_EPSILON_TOLERANCE, "" + b.epsilon());
    assertTrue(b.refusal(rounds + 1, sigma, Q, STEPS).isPresent());
  }

  @Test
  void spend_differentSigmaLater_composesBothPhases() {
    PrivacyBudget b = new PrivacyBudget("s", 100, DELTA);
    b.spend(1, "m", SIGMA, Q, STEPS, 1.0);
    b.spend(2, "m", 2.0, 0.1, 7, 1.0);
    double expected = new RdpAccountant().compose(DpEvent.sampledGaussian(SIGMA, Q, STEPS))
        .compose(DpEvent.sampledGaussian(2.0, 0.1, 7)).epsilon(DELTA).epsilon();
    assertEquals(expected, b.epsilon(), 0.0);
  }

  @Test
  void constructor_capNotPositive_rejectedWithMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PrivacyBudget("s", 0, DELTA));
    assertEquals("epsilon cap must be > 0 and finite. Provided value: 0.0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new PrivacyBudget("s", -1, DELTA));
    assertThrows(IllegalArgumentException.class, () -> new PrivacyBudget("s", Double.POSITIVE_INFINITY, DELTA));
    assertThrows(IllegalArgumentException.class, () -> new PrivacyBudget("s", Double.NaN, DELTA));
  }

  @Test
  void constructor_deltaOutsideOpenUnitInterval_rejectedWithMessage() {
    for (double d : new double[] {0, 1, -1e-5, 1.5, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PrivacyBudget("s", 8, d));
      assertEquals("delta must be in (0, 1). Provided value: " + d, e.getMessage());
    }
  }

  @Test
  void spend_badSamplingRateOrSigma_rejectedAndNothingRecorded() {
    PrivacyBudget b = new PrivacyBudget("s", 8, DELTA);
    assertThrows(IllegalArgumentException.class, () -> b.spend(1, "m", SIGMA, 0, STEPS, 1.0));
    assertThrows(IllegalArgumentException.class, () -> b.spend(1, "m", SIGMA, 1.5, STEPS, 1.0));
    assertThrows(IllegalArgumentException.class, () -> b.spend(1, "m", 0, Q, STEPS, 1.0));
    assertThrows(IllegalArgumentException.class, () -> b.spend(1, "m", SIGMA, Q, 0, 1.0));
    assertEquals(0, b.rounds());
  }

  @Test
  void chargeGaussianRelease_thenRounds_epsilonEqualsAccountantOnReleaseAndSteps() {
    PrivacyBudget b = new PrivacyBudget("uk-1", 100, DELTA);
    Spend r = b.chargeGaussianRelease("item-stats-gaussian", 4);
    double statsAlone = new RdpAccountant().compose(new GaussianEvent(4)).epsilon(DELTA).epsilon();
    assertEquals(statsAlone, r.epsilon(), 0.0);
    assertEquals(statsAlone, b.epsilon(), 0.0);
    assertEquals(0, b.rounds());
    for (int round = 1; round <= 3; round++) {
      Spend s = b.spend(round, "dp-sgd-user", SIGMA, Q, STEPS, 1.0);
      double expected = new RdpAccountant().compose(new GaussianEvent(4))
          .compose(DpEvent.sampledGaussian(SIGMA, Q, (long) round * STEPS)).epsilon(DELTA).epsilon();
      assertEquals(expected, s.epsilon(), 0.0, "round " + round);
      assertTrue(s.epsilon() > accountant((long) round * STEPS));
    }
    assertEquals(2, b.events().size());
  }

  @Test
  void chargeGaussianRelease_overCapOrAfterTraining_refused() {
    PrivacyBudget small = new PrivacyBudget("uk-1", 0.1, DELTA);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> small.chargeGaussianRelease("item-stats-gaussian", 1));
    assertTrue(e.getMessage().startsWith("uk-1 cannot release item-stats-gaussian: epsilon would reach"), e.getMessage());
    assertEquals(0, small.epsilon());
    assertTrue(small.releases().isEmpty());
    PrivacyBudget b = new PrivacyBudget("uk-1", 100, DELTA);
    b.spend(1, "dp-sgd-user", SIGMA, Q, STEPS, 1.0);
    assertThrows(IllegalStateException.class, () -> b.chargeGaussianRelease("item-stats-gaussian", 4));
    assertThrows(IllegalArgumentException.class, () -> new PrivacyBudget("x", 8, DELTA).chargeGaussianRelease("s", 0));
  }

  @Test
  void noiseMultiplierFor_withRelease_plannedRunWithReleaseFitsCap() {
    long steps = 50;
    double sigma = NoiseCalibration.noiseMultiplierFor(8, DELTA, 0.5, steps, new GaussianEvent(4));
    PrivacyBudget b = new PrivacyBudget("uk-1", 8, DELTA);
    b.chargeGaussianRelease("item-stats-gaussian", 4);
    for (int round = 1; round <= 10; round++) {
      b.spend(round, "dp-sgd-user", sigma, 0.5, 5, 1.0);
    }
    assertTrue(b.epsilon() <= 8 && b.epsilon() > 7.99, "epsilon " + b.epsilon());
    // Without the release the same σ would leave slack: the release was really paid for.
    assertTrue(sigma > NoiseCalibration.noiseMultiplierFor(8, DELTA, 0.5, steps));
  }

  @Test
  void noiseMultiplierFor_releaseAloneSpendsCap_refusedWithMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NoiseCalibration.noiseMultiplierFor(0.5, DELTA, 0.5, 50, new GaussianEvent(1)));
    assertTrue(e.getMessage().contains("leaving nothing for training"), e.getMessage());
  }
}
