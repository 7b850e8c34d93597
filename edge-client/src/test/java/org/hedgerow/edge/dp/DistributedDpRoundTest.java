package org.hedgerow.edge.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.hedgerow.aggregation.secagg.DistributedDpTerms;
import org.hedgerow.aggregation.secagg.SecureSumEncoding;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.budget.SpendAccounting;
import org.hedgerow.privacy.ledger.LedgerVerifier;
import org.junit.jupiter.api.Test;

class DistributedDpRoundTest {
  private static final int D = 30;
  private static final SecureSumEncoding SUM = new SecureSumEncoding(1e-3, 28, 1 << 20);

  private static DistributedDpTerms terms(double shareVariance, int t, int n) {
    return new DistributedDpTerms(shareVariance, 1.0, 1.0, t, n, 8, 1e-5, 5);
  }

  private static SiloPrivacy privacy(double cap) {
    DpConfig c = new DpConfig(1, 1, 1, 1, 0.01, cap, 1e-5);
    return SiloPrivacy.start("s", c, new InMemorySpendLog(), null);
  }

  @Test
  void charge_recordsTheSumsEffectiveNoiseMultiplierUnsampled() {
    DistributedDpRound round = new DistributedDpRound(SUM, terms(4e10, 5, 14), D);
    SiloPrivacy p = privacy(8);
    Spend s = round.charge(p, 1).spend();
    assertEquals(LedgerVerifier.DISTRIBUTED_MECHANISM, s.mechanism());
    assertEquals(round.effectiveNoiseMultiplier(), s.noiseMultiplier());
    assertEquals(round.plan().ledgerParameters(), s.distributed(), "every parameter of the accounting is recorded");
    assertEquals(5, s.distributed().minSurvivors());
    assertEquals(14, s.distributed().maxContributors());
    assertEquals(D, s.distributed().dimension());
    assertEquals(28, s.distributed().bits());
    assertEquals(32, s.distributed().modulusBits());
    assertEquals(round.plan().l2Sensitivity(), s.distributed().l2Sensitivity());
    assertEquals(1.0, s.sampleRate());
    assertEquals(1, s.steps());
    assertEquals(SpendAccounting.epsilon(p.budget().log(), 1e-5), s.epsilon());
  }

  @Test
  void refusal_noiseTooSmallForTheCap_declinesBeforeCharging() {
    DistributedDpRound round = new DistributedDpRound(SUM, terms(1, 5, 14), D);
    SiloPrivacy p = privacy(1);
    assertTrue(round.refusal(p, 1).isPresent());
    assertEquals(0, p.budget().log().size());
  }

  @Test
  void refusalFor_sessionDifferentFromTheChargedTerms_refusesNamingWhat() {
    DistributedDpTerms announced = terms(4e10, 5, 14);
    DistributedDpRound round = new DistributedDpRound(SUM, announced, D);
    assertTrue(round.refusalFor(14, 5, SUM, announced).isEmpty());
    assertTrue(round.refusalFor(14, 4, SUM, terms(4e10, 4, 14)).orElseThrow().contains("t = 4"),
        "a lower threshold means less noise than charged for");
    assertTrue(round.refusalFor(14, 5, new SecureSumEncoding(2e-3, 28, 1 << 20), announced).orElseThrow()
        .contains("encoding"));
    assertTrue(round.refusalFor(14, 5, SUM, terms(1e10, 5, 14)).orElseThrow().contains("terms"));
    assertTrue(round.refusalFor(14, 5, SUM, null).isPresent(), "a session without distributed DP");
  }

  @Test
  void contribution_everyCustomerCountedWithTheWeight() {
    DistributedDpRound round = new DistributedDpRound(SUM, terms(4e10, 5, 14), D);
    GradientSource g = new RandomGradientsFake(new Random(2));
    var e = round.contribution(g, 42);
    assertEquals(7, e.customers());
    assertEquals(7, e.clipped(), "norms of about sqrt(30) are all clipped to 1");
    assertEquals(D + 1, e.input().length);
    assertEquals(42, e.input()[D]);
  }

  /** Seven customers with standard normal gradients. */
  private static final class RandomGradientsFake implements GradientSource {
    private final Random random;

    RandomGradientsFake(Random random) {
      this.random = random;
    }

    @Override
    public int dimension() {
      return D;
    }

    @Override
    public int customers() {
      return 7;
    }

    @Override
    public void setParameters(float[] parameters) {}

    @Override
    public double[] gradient(int customer) {
      double[] x = new double[D];
      for (int i = 0; i < D; i++) {
        x[i] = random.nextGaussian();
      }
      return x;
    }
  }
}
