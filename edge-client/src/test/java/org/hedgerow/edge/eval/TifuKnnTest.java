package org.hedgerow.edge.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hedgerow.edge.features.CustomerHistory;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.SiloData;
import org.junit.jupiter.api.Test;

class TifuKnnTest {
  private static Basket basket(int customer, int day, int... items) {
    int[] q = new int[items.length];
    java.util.Arrays.fill(q, 1);
    return new Basket("i" + customer + "-" + day, customer, LocalDateTime.of(2011, 1, 1, 0, 0).plusDays(day), items, q);
  }

  @Test
  void userVector_fiveBasketsInGroupsOfTwo_matchesHandComputedDecays() {
    // Baskets 0..4 with m = 2: groups {0}, {1, 2}, {3, 4} (the oldest is short); r_b = 0.5, r_g = 0.25.
    List<Basket> b = List.of(basket(1, 0, 0), basket(1, 1, 1), basket(1, 2, 1, 2), basket(1, 3, 3), basket(1, 4, 0));
    TifuKnn.UserVector v = TifuKnn.userVector(1, b, 2, 0.5, 0.25, new double[5]);
    // group weights (r_g^back / 3 groups / group size): oldest 0.0625/3, middle 0.25/3/2, latest 1/3/2.
    double g0 = 0.0625 / 3;
    double g1 = 0.25 / 3 / 2;
    double g2 = 1.0 / 3 / 2;
    assertArrayEquals(new int[] {0, 1, 2, 3}, v.items());
    assertEquals(g0 + g2, v.values()[0], 1e-6); // basket 0 (alone in its group) and basket 4 (latest)
    assertEquals(g1 * 0.5 + g1, v.values()[1], 1e-6); // baskets 1 (one place back) and 2
    assertEquals(g1, v.values()[2], 1e-6);
    assertEquals(g2 * 0.5, v.values()[3], 1e-6); // basket 3, one place before the latest
  }

  @Test
  void nearest_queryCustomerInPool_neverTheirOwnNeighbour() {
    Map<Integer, List<Basket>> h = new LinkedHashMap<>();
    h.put(1, List.of(basket(1, 0, 0, 1)));
    h.put(2, List.of(basket(2, 0, 0, 1)));
    h.put(3, List.of(basket(3, 0, 4)));
    TifuKnn.Pool pool = TifuKnn.pool(h, 5, 1, 1, 1);
    int[] nb = pool.nearest(pool.users.get(0), 5);
    assertEquals(2, nb.length);
    assertEquals(2, pool.users.get(nb[0]).customerId()); // identical basket: distance 0
    assertEquals(3, pool.users.get(nb[1]).customerId());
  }

  @Test
  void ranker_neighbourBoughtNewProduct_scoresItAboveUnseenAndCountsAsExplore() {
    // Customers 2 and 3 buy {0, 1, 7}; customer 1 buys {0, 1} and then 7 in the test basket.
    List<CustomerLog> logs = List.of(
        new CustomerLog(1, List.of(basket(1, 0, 0, 1)), List.of(basket(1, 5, 7))),
        new CustomerLog(2, List.of(basket(2, 0, 0, 1, 7)), List.of()),
        new CustomerLog(3, List.of(basket(3, 0, 0, 1, 7)), List.of()));
    float[] popularity = new float[20];
    for (int i = 0; i < 20; i++) {
      popularity[i] = 20 - i; // item 7 is less popular than 0..6
    }
    TifuKnnRanker r = new TifuKnnRanker(new TifuKnnSettings(1, 1, 1, 2, 0.5), logs, popularity);
    CustomerHistory h = new CustomerHistory();
    logs.get(0).train().forEach(h::add);
    int[] personal = r.personalItems(h);
    assertArrayEquals(new int[] {0, 1, 7}, personal);
    float[] s = r.historyScores(h, personal);
    assertTrue(s[2] > 0 && s[2] < s[0], "neighbours' product ranks after own products and before unseen ones");
    Metrics m = Evaluator.evaluate(new SiloData("s", logs), r).metrics();
    assertEquals(1.0, m.recall10Explore(), 1e-12); // 7 is third: 0, 1, 7
    assertEquals(1.0, m.hr10(), 1e-12);
  }

  @Test
  void tune_gridOfTwo_picksTheSettingThatFindsTheNextBasket() {
    // Every customer's history is {0} then {1}; their next basket is {1}: r_b small forgets 1 less.
    List<CustomerLog> logs = new ArrayList<>();
    for (int c = 0; c < 12; c++) {
      logs.add(new CustomerLog(c, List.of(basket(c, 0, 1), basket(c, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
          basket(c, 2, 1)), List.of()));
    }
    float[] popularity = new float[13];
    List<TifuKnnSettings> grid = List.of(new TifuKnnSettings(2, 1e-3, 1, 0, 1), new TifuKnnSettings(2, 1, 1, 0, 1));
    TifuKnn.Tuned t = TifuKnn.tune(logs, 13, popularity, grid);
    assertEquals(12, t.validationBaskets());
    // With r_b ~ 0 the latest basket's 11 products outrank product 1 and push it out of the top 10.
    assertEquals(grid.get(1), t.settings());
    assertEquals(1.0, t.validationHr10(), 1e-12);
  }

  @Test
  void settings_alphaOutsideUnitInterval_failsNamingAlpha() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TifuKnnSettings(2, 1, 1, 5, 1.5));
    assertTrue(e.getMessage().contains("alpha"), e.getMessage());
  }

  @Test
  void selectSmallest_randomArrays_firstKAreTheKSmallest() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + rnd.nextInt(60);
      int k = 1 + rnd.nextInt(n);
      long[] a = new long[n];
      for (int i = 0; i < n; i++) {
        a[i] = rnd.nextInt(20); // many duplicates
      }
      long[] sorted = a.clone();
      java.util.Arrays.sort(sorted);
      TifuKnn.selectSmallest(a, n, k);
      long[] head = java.util.Arrays.copyOf(a, k);
      java.util.Arrays.sort(head);
      assertArrayEquals(java.util.Arrays.copyOf(sorted, k), head, "n=" + n + " k=" + k);
    }
  }
  @Test
  void neighbourOnlyShortlist_moreThanKProducts_keepsTheKLargestSumsAndTiesWithTheKth() {
    // Products 0..13 after two own products (candidates[0, 2)); sums descending by product except ties at the cut.
    int[] candidates = new int[16];
    double[] sums = new double[16];
    for (int c = 0; c < 16; c++) {
      candidates[c] = c;
      sums[c] = 100 - c;
    }
    sums[12] = sums[11]; // ties the 10th largest among candidates 2..15 (product 11)
    sums[13] = Math.nextDown(sums[11]); // within rounding of it: w × sum may tie
    int[] out = new int[16];
    int n = TifuKnn.neighbourOnlyShortlist(candidates, 2, 16, sums, out);
    assertArrayEquals(new int[] {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, java.util.Arrays.copyOf(out, n));
  }

  @Test
  void neighbourOnlyShortlist_atMostKProducts_keepsAll() {
    int[] out = new int[5];
    int n = TifuKnn.neighbourOnlyShortlist(new int[] {7, 3, 9}, 1, 3, new double[10], out);
    assertArrayEquals(new int[] {3, 9}, java.util.Arrays.copyOf(out, n));
  }
}
