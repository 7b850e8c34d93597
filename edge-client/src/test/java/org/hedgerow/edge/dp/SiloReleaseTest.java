package org.hedgerow.edge.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.List;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.privacy.accounting.GaussianEvent;
import org.hedgerow.privacy.accounting.RdpAccountant;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.noise.GaussianNoise;
import org.junit.jupiter.api.Test;

class SiloReleaseTest {
  private static final LocalDateTime END = LocalDateTime.of(2011, 12, 10, 0, 0);

  private static Basket basket(int customer, int days, int... items) {
    int[] q = new int[items.length];
    java.util.Arrays.fill(q, 1);
    return new Basket("b" + customer + days, customer, END.minusDays(days), items, q);
  }

  private static List<CustomerLog> silo() {
    return List.of(new CustomerLog(1, List.of(basket(1, 50, 0, 1), basket(1, 5, 1)), List.of()),
        new CustomerLog(2, List.of(basket(2, 40, 2)), List.of()), // one basket: no training examples, not counted
        new CustomerLog(3, List.of(basket(3, 60, 3), basket(3, 30, 3), basket(3, 2, 4)), List.of()));
  }

  @Test
  void compute_noNoiseLimit_countsCustomersWithTrainingExamples() {
    // σ tiny: the noisy count is the exact count of customers with >= 2 training baskets (2 of 3).
    SiloRelease r = SiloRelease.compute(silo(), 5, END, 1e-9, 1e-9, new GaussianNoise());
    assertEquals(2.0, r.customerCount(), 1e-6);
  }

  @Test
  void charge_freshBudget_twoReleasesAccountedAsGaussians() {
    SiloRelease r = SiloRelease.compute(silo(), 5, END, 4, 10, new GaussianNoise());
    PrivacyBudget b = new PrivacyBudget("s", 8, 1e-5);
    List<Spend> spends = r.charge(b);
    assertEquals(List.of(SiloRelease.STATS_MECHANISM, SiloRelease.COUNT_MECHANISM),
        spends.stream().map(Spend::mechanism).toList());
    double expected = new RdpAccountant().compose(new GaussianEvent(4)).compose(new GaussianEvent(10)).epsilon(1e-5)
        .epsilon();
    assertEquals(expected, b.epsilon(), 0.0);
    assertTrue(spends.stream().allMatch(Spend::isRelease));
  }

  @Test
  void toBytes_roundTrip_sameReleaseAndCount() {
    SiloRelease r = SiloRelease.compute(silo(), 5, END, 4, 10, new GaussianNoise());
    SiloRelease back = SiloRelease.fromBytes(r.toBytes());
    assertEquals(r.customerCount(), back.customerCount(), 0.0);
    org.junit.jupiter.api.Assertions.assertArrayEquals(r.toBytes(), back.toBytes());
  }

  @Test
  void fromBytes_truncatedOrForeign_refusedWithMessage() {
    byte[] b = SiloRelease.compute(silo(), 5, END, 4, 10, new GaussianNoise()).toBytes();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SiloRelease.fromBytes(java.util.Arrays.copyOf(b, b.length - 3)));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SiloRelease.fromBytes(new byte[40]));
    assertTrue(e.getMessage().contains("magic"), e.getMessage());
  }

  @Test
  void compute_badSigma_rejectedWithMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SiloRelease.compute(silo(), 5, END, 4, 0, new GaussianNoise()));
    assertEquals("count noise multiplier must be > 0 and finite. Provided value: 0.0", e.getMessage());
  }
}
