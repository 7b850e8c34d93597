package org.hedgerow.edge.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDateTime;
import java.util.List;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;
import org.junit.jupiter.api.Test;

class CoPurchaseTest {
  private static Basket basket(int customer, int day, int... items) {
    int[] q = new int[items.length];
    java.util.Arrays.fill(q, 1);
    return new Basket("i" + customer + "-" + day, customer, LocalDateTime.of(2011, 1, 1, 0, 0).plusDays(day), items, q);
  }

  private static ItemStats stats(List<CustomerLog> logs, int size) {
    return ItemStats.of(List.of(new org.hedgerow.edge.task.SiloData("s", logs)), size);
  }

  private static CustomerHistory history(List<Basket> baskets) {
    CustomerHistory h = new CustomerHistory();
    baskets.forEach(h::add);
    return h;
  }

  @Test
  void profile_ownLaterPurchase_isLeftOutOfTheCounts() {
    // Customer 1 bought 0 and later 5; nobody else bought 5. At the cut-off before 5, 5 must not
    // look related to 0: its only co-purchase with 0 is customer 1's own.
    List<Basket> one = List.of(basket(1, 0, 0), basket(1, 1, 5));
    List<CustomerLog> logs = new java.util.ArrayList<>(List.of(new CustomerLog(1, one, List.of())));
    for (int c = 2; c <= 13; c++) { // twelve others buy 0 and 3; three of them also 4
      logs.add(new CustomerLog(c, List.of(c <= 4 ? basket(c, 0, 0, 3, 4) : basket(c, 0, 0, 3)), List.of()));
    }
    FeatureExtractor fx = new FeatureExtractor(stats(logs, 6), CoPurchase.of(logs, 6));
    CustomerHistory cutOff = history(one.subList(0, 1));
    assertArrayEquals(new int[] {3, 4}, fx.newCandidates(cutOff));
    float[] row = new float[FeatureExtractor.FEATURES];
    int o = FeatureExtractor.ITEM_FEATURES + FeatureExtractor.HISTORY_FEATURES;
    fx.write(cutOff, 4, row, 0);
    // P(4 | 0) leaving customer 1 out: three of the twelve other buyers of 0 bought 4; features are x3.
    assertEquals(0.75f, row[o], 1e-6); // over the history
    assertEquals(0.75f, row[o + 1], 1e-6); // over the latest basket (the same here)
    assertEquals(1f, row[o + 2], 0); // a new candidate
    fx.write(cutOff, 5, row, 0);
    assertArrayEquals(new float[3], java.util.Arrays.copyOfRange(row, o, o + 3));
    float[] unseen = new float[FeatureExtractor.FEATURES];
    fx.writeUnseen(5, unseen, 0);
    assertArrayEquals(unseen, row); // not a candidate: exactly the unseen features
  }

  @Test
  void newCandidates_withoutCoPurchase_none() {
    FeatureExtractor fx = new FeatureExtractor(stats(List.of(new CustomerLog(1, List.of(basket(1, 0, 0)), List.of())), 6));
    assertEquals(0, fx.newCandidates(history(List.of(basket(1, 0, 0)))).length);
  }

  @Test
  void constructor_sizesDiffer_failsNamingBoth() {
    CoPurchase cp = CoPurchase.of(List.of(), 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FeatureExtractor(stats(List.of(new CustomerLog(1, List.of(basket(1, 0, 0)), List.of())), 6), cp));
    assertEquals(true, e.getMessage().contains("4") && e.getMessage().contains("6"), e.getMessage());
  }
}
