package org.hedgerow.coordinator.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hedgerow.aggregation.secagg.DistributedDpEncoding;
import org.hedgerow.aggregation.secagg.DistributedDpTerms;
import org.hedgerow.aggregation.secagg.SecAggConfig;
import org.hedgerow.aggregation.secagg.SecureSumEncoding;
import org.hedgerow.aggregation.wire.SecureAggregationTerms;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.budget.SpendAccounting;
import org.hedgerow.privacy.ledger.LedgerVerifier;
import org.junit.jupiter.api.Test;

/** The coordinator's calibration, checked the way a silo and an auditor see it. */
class DistributedDpOptionsTest {
  private static final int D = 12_545;

  /** What a silo with the default releases spends over the run at the z it recomputes from the terms. */
  private static double siloEpsilon(DistributedDpOptions o, DistributedDpTerms terms, SecureSumEncoding encoding) {
    double z = new DistributedDpEncoding(encoding, terms, D).effectiveNoiseMultiplier();
    PrivacyBudget b = new PrivacyBudget("silo", o.targetEpsilon(), o.delta());
    b.chargeGaussianRelease("silo-stats-gaussian", o.statsNoiseMultiplier());
    b.chargeGaussianRelease("silo-count-gaussian", o.countNoiseMultiplier());
    for (int r = 1; r <= o.rounds(); r++) {
      b.spend(r, LedgerVerifier.DISTRIBUTED_MECHANISM, z, 1.0, 1, o.clipNorm());
    }
    assertEquals(SpendAccounting.epsilon(b.log(), o.delta()), b.epsilon());
    return b.epsilon();
  }

  @Test
  void terms_fourteenSilosThresholdFive_siloSpendsJustUnderTheTarget() {
    DistributedDpOptions o = DistributedDpOptions.of(8, 1e-5, 5);
    SecureSumEncoding enc = o.sumEncoding(SecureSumEncoding.forClients(14, 1.0, null, null), D);
    DistributedDpTerms terms = o.terms(enc, 14, 5, D);
    double eps = siloEpsilon(o, terms, enc);
    assertTrue(eps <= 8 && eps > 7.98, "epsilon " + eps);
    assertEquals(1.01, new DistributedDpEncoding(enc, terms, D).roundingInflation(), 1e-6);
  }

  /** Calibration under dropout: a lower threshold means each silo adds more noise; ε at t stays at the target. */
  @Test
  void terms_lowerThreshold_largerSharesSameEpsilon() {
    DistributedDpOptions o = DistributedDpOptions.of(4, 1e-5, 3);
    SecureSumEncoding enc = o.sumEncoding(SecureSumEncoding.forClients(10, 1.0, null, null), D);
    DistributedDpTerms atSix = o.terms(enc, 10, 6, D);
    DistributedDpTerms atThree = o.terms(enc, 10, 3, D);
    assertEquals(2.0, atThree.shareVariance() / atSix.shareVariance(), 1e-5);
    assertEquals(siloEpsilon(o, atSix, enc), siloEpsilon(o, atThree, enc), 0.02);
    assertTrue(siloEpsilon(o, atThree, enc) <= 4);
    // A session that unmasked fewer shares than t would be under-noised: the silo charged at t refuses it
    // (DistributedDpRound.refusalFor), and SecAgg itself never unmasks fewer than t inputs.
  }

  @Test
  void describe_withDistributedDp_announcesTheTermsOfTheSession() {
    SecureAggregationOptions sa = SecureAggregationOptions.of("secagg", 60_000)
        .withDistributedDp(DistributedDpOptions.of(8, 1e-5, 5));
    SecureSumEncoding enc = sa.encodingFor(5, D);
    SecAggConfig config = sa.configFor(1, 5, SecureSumEncoding.dimensionFor(D));
    SecureAggregationTerms o = sa.describe(config, enc, D);
    DistributedDpTerms d = o.distributedDp();
    DistributedDpTerms expected = sa.distributedDp().terms(enc, 5, config.threshold(), D);
    assertEquals(expected, d);
    assertEquals(config.threshold(), d.minSurvivors());
    assertEquals(5, d.maxContributors());
    assertEquals(enc.clip(), o.clip());
    assertTrue(SecureAggregationOptions.of("secagg", 60_000).describe(config, SecureSumEncoding.forClients(5, 1.0,
        null, null), D).distributedDp() == null, "nothing announced without distributed DP");
  }

  @Test
  void options_badValues_throwNamingThem() {
    assertEquals("distributed DP epsilon must be > 0 and finite. Provided value: 0.0",
        assertThrows(IllegalArgumentException.class, () -> DistributedDpOptions.of(0, 1e-5, 5)).getMessage());
    assertEquals("delta must be in (0, 1). Provided value: 1.0",
        assertThrows(IllegalArgumentException.class, () -> DistributedDpOptions.of(1, 1, 5)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new DistributedDpOptions(1, 1e-5, 1, 1, 0, 4, 10, 5));
  }
}
