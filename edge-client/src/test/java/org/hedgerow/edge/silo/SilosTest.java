package org.hedgerow.edge.silo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.List;
import org.hedgerow.edge.dp.DpConfig;
import org.hedgerow.edge.dp.InMemorySpendLog;
import org.hedgerow.edge.dp.SiloPrivacy;
import org.hedgerow.edge.dp.SiloRelease;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.SiloData;
import org.junit.jupiter.api.Test;

class SilosTest {
  private static final LocalDateTime END = LocalDateTime.of(2011, 12, 10, 0, 0);

  private static SiloData data() {
    Basket a = new Basket("a", 1, END.minusDays(40), new int[] {0, 1}, new int[] {1, 1});
    Basket b = new Basket("b", 1, END.minusDays(20), new int[] {1, 2}, new int[] {1, 1});
    Basket c = new Basket("c", 2, END.minusDays(30), new int[] {3}, new int[] {2});
    Basket d = new Basket("d", 2, END.minusDays(3), new int[] {3, 4}, new int[] {1, 1});
    return new SiloData("s", List.of(new CustomerLog(1, List.of(a, b), List.of()), new CustomerLog(2, List.of(c, d),
        List.of())));
  }

  private static SiloSettings dpSettings() {
    return new SiloSettings("s", 4, 3, 42, new DpConfig(2, 1, 0.5, 2, 0.01, 8, 1e-5, 4, 10), END, false);
  }

  @Test
  void prepare_plainTwice_sameExamples() {
    SiloSettings plain = SiloSettings.plain("s", 4, 3, 42);
    PreparedSilo a = Silos.prepare(plain, data(), 8, null);
    PreparedSilo b = Silos.prepare(plain, data(), 8, null);
    assertArrayEquals(a.examples().features(), b.examples().features(), "non-private silos are reproducible");
    assertEquals(2, a.examples().customers());
  }

  @Test
  void prepare_dpSilo_featuresFromItsReleaseAndBudgetChargedTwice() {
    SiloSettings s = dpSettings();
    SiloRelease release = Silos.release(s, data(), 8);
    PreparedSilo p = Silos.prepare(s, data(), 8, release);
    assertEquals(release, p.release());
    SiloPrivacy privacy = Silos.privacy(s, new InMemorySpendLog(), release);
    assertEquals(2, privacy.budget().releases().size());
    assertEquals(2, privacy.log().entries().size(), "both charges are in the log before anything is used");
  }

  @Test
  void prepareAndClient_mismatchedSettings_refusedWithMessage() {
    SiloSettings plain = SiloSettings.plain("s", 4, 3, 42);
    SiloRelease release = Silos.release(dpSettings(), data(), 8);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Silos.prepare(plain, data(), 8, release))
        .getMessage().contains("not private"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Silos.prepare(dpSettings(), data(), 8, null))
        .getMessage().contains("needs its release"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Silos.prepare(dpSettings(), data(), 9, release))
        .getMessage().contains("catalogue of 9"));
    PreparedSilo p = Silos.prepare(dpSettings(), data(), 8, release);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> p.client(null, null, null, null))
        .getMessage().contains("needs its privacy state"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new SiloSettings("s", 4, 3, 42, dpSettings().dp(), null, false)).getMessage()
        .contains("declared training end"));
  }
}
