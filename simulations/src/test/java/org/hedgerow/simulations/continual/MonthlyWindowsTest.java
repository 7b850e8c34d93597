package org.hedgerow.simulations.continual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hedgerow.edge.data.PurchaseLine;
import org.hedgerow.edge.data.RetailLogLoader;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.SiloData;
import org.hedgerow.simulations.FederationData;
import org.hedgerow.simulations.partition.RegionPartitioner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The monthly windows of a continual run, on a small slice of the bundled data (every 15th customer). */
class MonthlyWindowsTest {
  private static RetailLogLoader.Result log;
  private static List<PurchaseLine> slice;

  @BeforeAll
  static void load() {
    log = new RetailLogLoader().load(Path.of("../data/online-retail/online_retail.csv.gz").toAbsolutePath());
    slice = log.lines().stream().filter(l -> l.customerId() % 15 == 0).toList();
  }

  private static MonthlyWindows windows(List<PurchaseLine> lines) {
    return MonthlyWindows.of(lines, log.report(), RegionPartitioner.bundled(2), null);
  }

  @Test
  void window_everyMonth_trainsBeforeTheMonthAndTestsItsFirstNextBasket() {
    MonthlyWindows w = windows(slice);
    assertTrue(w.months().size() >= 12, "the slice spans " + w.months());
    Map<Integer, List<LocalDateTime>> invoiceTimes = new HashMap<>();
    slice.forEach(l -> invoiceTimes.computeIfAbsent(l.customerId(), k -> new ArrayList<>()).add(l.time()));
    for (YearMonth month : w.months().subList(1, w.months().size())) {
      LocalDateTime start = month.atDay(1).atStartOfDay();
      FederationData data = w.window(month);
      long tested = 0;
      for (SiloData s : data.silos()) {
        for (CustomerLog c : s.customers()) {
          assertFalse(c.train().isEmpty(), "customer " + c.customerId() + " kept without history in " + month);
          for (Basket b : c.train()) {
            assertTrue(b.time().isBefore(start), month + ": training basket " + b.invoice() + " of " + b.time());
          }
          assertTrue(c.test().size() <= 1);
          for (Basket b : c.test()) {
            tested++;
            assertEquals(month, YearMonth.from(b.time()), "test basket outside its month");
            LocalDateTime firstInMonth = invoiceTimes.get(c.customerId()).stream()
                .filter(t -> YearMonth.from(t).equals(month)).min(Comparator.naturalOrder()).orElseThrow();
            assertEquals(firstInMonth, b.time(), "the test basket is not the customer's next one");
          }
        }
      }
      assertTrue(tested > 0, "no test baskets in " + month);
    }
  }

  @Test
  void window_firstMonth_refusedForWantOfHistory() {
    MonthlyWindows w = windows(slice);
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> w.window(w.months().get(0)));
  }

  @Test
  void window_futureInvoicesRemoved_trainingStatisticsAndCandidatesUnchanged() {
    MonthlyWindows w = windows(slice);
    YearMonth month = w.months().get(6);
    LocalDateTime start = month.atDay(1).atStartOfDay();
    FederationData withFuture = w.window(month);
    // The same window from a log that ends before the month: whatever trains must not change.
    FederationData past = windows(slice.stream().filter(l -> l.time().isBefore(start)).toList()).window(month);
    assertEquals(withFuture.catalogue().codes(), past.catalogue().codes(), "candidate products depend on the future");
    Map<Integer, List<String>> trainWith = trainInvoices(withFuture);
    assertEquals(trainWith, trainInvoices(past), "training baskets depend on the future");
    for (int i = 0; i < withFuture.catalogue().size(); i++) {
      assertEquals(past.pooledStats().baskets(i), withFuture.pooledStats().baskets(i), "baskets of item " + i);
      assertEquals(past.pooledStats().customers(i), withFuture.pooledStats().customers(i), "buyers of item " + i);
    }
    assertTrue(trainWith.size() > 50, "too small a slice to test: " + trainWith.size());
  }

  private static Map<Integer, List<String>> trainInvoices(FederationData data) {
    Map<Integer, List<String>> out = new HashMap<>();
    for (SiloData s : data.silos()) {
      for (CustomerLog c : s.customers()) {
        out.put(c.customerId(), c.train().stream().map(Basket::invoice).toList());
      }
    }
    return out;
  }
}
