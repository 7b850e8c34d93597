package org.hedgerow.edge.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import org.hedgerow.aggregation.secagg.DistributedDpTerms;
import org.hedgerow.aggregation.secagg.SecureSumEncoding;
import org.hedgerow.edge.dp.DistributedDpRound;
import org.hedgerow.edge.dp.DpConfig;
import org.hedgerow.edge.dp.SiloPrivacy;
import org.hedgerow.privacy.accounting.DistributedGaussianParameters;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.budget.SpendAccounting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A distributed-DP silo restarted from its state directory: the log it resumes keeps each round's
 * recorded parameters, and its next round is charged for the session it joins then (its t and n),
 * not for the terms of the round it ran before the restart (nothing of those is kept but the log).
 */
class DistributedDpResumeTest {
  private static final int D = 30;
  private static final SecureSumEncoding SUM = new SecureSumEncoding(1e-3, 28, 1 << 20);
  private static final DpConfig CONFIG = new DpConfig(1, 1, 1, 1, 0.01, 8, 1e-5);

  @TempDir
  Path dir;

  private static DistributedDpTerms terms(int t, int n) {
    return new DistributedDpTerms(4e10, 1.0, 1.0, t, n, 8, 1e-5, 5);
  }

  private SiloPrivacy resume(SiloState state) {
    return state.resume("s", CONFIG, false, 1, 10, () -> null);
  }

  @Test
  void resume_afterADistributedRound_nextChargeIsForTheNewSessionsTAndN() {
    DistributedGaussianParameters before;
    try (SiloState state = SiloState.open(dir)) {
      before = new DistributedDpRound(SUM, terms(3, 4), D).charge(resume(state), 1).spend().distributed();
    }
    try (SiloState state = SiloState.open(dir)) {
      SiloPrivacy privacy = resume(state);
      assertEquals(before, privacy.budget().log().get(0).distributed(), "the resumed log keeps round 1's parameters");
      DistributedDpRound round2 = new DistributedDpRound(SUM, terms(2, 3), D);
      Spend s = round2.charge(privacy, 2).spend();
      assertEquals(2, s.distributed().minSurvivors());
      assertEquals(3, s.distributed().maxContributors());
      assertEquals(round2.effectiveNoiseMultiplier(), s.noiseMultiplier());
      assertNotEquals(before.effectiveNoiseMultiplier(), s.noiseMultiplier(), "t = 2 of 3 is less noise than 3 of 4");
      assertEquals(SpendAccounting.epsilon(privacy.budget().log(), 1e-5), s.epsilon());
    }
    try (SiloState state = SiloState.open(dir)) {
      assertEquals(2, resume(state).budget().log().size(), "both charges, each with its own parameters, survive");
    }
  }
}
