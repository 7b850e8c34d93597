package org.hedgerow.edge.silo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hedgerow.edge.data.PurchaseLine;
import org.hedgerow.edge.serve.Consent;
import org.hedgerow.edge.serve.ServeEvent;
import org.hedgerow.edge.serve.ServeStore;
import org.hedgerow.edge.task.Catalogue;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.Holdout;
import org.hedgerow.edge.task.SiloData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingConsentTest {
  @TempDir Path dir;

  private static List<PurchaseLine> log() {
    List<PurchaseLine> lines = new java.util.ArrayList<>();
    LocalDateTime t = LocalDateTime.of(2011, 3, 1, 10, 0);
    for (int c = 1; c <= 4; c++) {
      for (int v = 0; v < 4; v++) {
        lines.add(new PurchaseLine("i" + c + v, "1000" + ((c + v) % 5), 1, t.plusDays(10L * v), 1.0, c, "X"));
        lines.add(new PurchaseLine("i" + c + v, "2000" + c, 1, t.plusDays(10L * v), 1.0, c, "X"));
      }
    }
    return lines;
  }

  private static Set<Integer> trainingCustomers(List<PurchaseLine> lines) {
    var baskets = SiloData.basketsByCustomer(lines);
    Holdout h = new Holdout.LastInvoice();
    SiloData data = SiloData.build("s", baskets, h, new Catalogue(SiloData.trainingCodes(baskets, h)));
    PreparedSilo p = Silos.prepare(SiloSettings.plain("s", 8, 16, 1), data, new Catalogue(
        SiloData.trainingCodes(baskets, h)).size(), null);
    assertEquals(data.customers().size(), p.examples().customers(), "every customer here has examples");
    Set<Integer> out = new HashSet<>();
    data.customers().stream().map(CustomerLog::customerId).forEach(out::add);
    return out;
  }

  @Test
  void trainingLines_optedOutAndErased_absentFromNextTrainingSetAndCatalogue() {
    Path db = dir.resolve("serve.db");
    try (ServeStore s = ServeStore.open(db)) {
      s.consent(2, new Consent(false, true));
      s.consent(3, new Consent(true, false)); // personalisation only: still trains
      s.erase(4);
      s.append(List.of(new ServeEvent(1, "30001", "buy", 1, LocalDateTime.of(2011, 6, 1, 9, 0)),
          new ServeEvent(2, "30002", "buy", 1, LocalDateTime.of(2011, 6, 1, 9, 0))));
    }
    assertEquals(Set.of(1, 2, 3, 4), trainingCustomers(log()));
    TrainingConsent consent = TrainingConsent.fromStore(db);
    assertEquals(Set.of(2, 4), consent.excluded());
    List<PurchaseLine> lines = consent.trainingLines(log());
    assertEquals(Set.of(1, 3), trainingCustomers(lines));
    Set<String> products = new HashSet<>();
    lines.forEach(l -> products.add(l.stockCode()));
    assertFalse(products.contains("20002") || products.contains("20004"), "their own products are gone too");
    assertTrue(products.contains("30001"), "feedback posted to the service is trained on");
    assertFalse(products.contains("30002"), "an opted-out customer's feedback is not");
  }
}
