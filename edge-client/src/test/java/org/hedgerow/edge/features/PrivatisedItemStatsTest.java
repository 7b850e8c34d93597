package org.hedgerow.edge.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.privacy.noise.GaussianNoise;
import org.junit.jupiter.api.Test;

class PrivatisedItemStatsTest {
  private static final int SIZE = 60;
  private static final LocalDateTime END = LocalDateTime.of(2011, 12, 10, 0, 0);

  private static Basket basket(int customer, int daysBeforeEnd, int... items) {
    int[] q = new int[items.length];
    java.util.Arrays.fill(q, 1);
    return new Basket("i" + customer + "-" + daysBeforeEnd, customer, END.minusDays(daysBeforeEnd), items, q);
  }

  /** Small silo: a one-product customer, repeat buyers, a recent buyer and one with 50 products. */
  private static List<CustomerLog> fixture() {
    List<CustomerLog> cs = new ArrayList<>();
    cs.add(new CustomerLog(1, List.of(basket(1, 100, 0)), List.of()));
    cs.add(new CustomerLog(2, List.of(basket(2, 90, 0, 1, 2), basket(2, 10, 1, 2, 3)), List.of()));
    cs.add(new CustomerLog(3, List.of(basket(3, 200, 4, 4, 5), basket(3, 150, 4), basket(3, 5, 4, 6)), List.of()));
    int[] many = new int[50];
    int[] manyAgain = new int[25];
    for (int i = 0; i < 50; i++) {
      many[i] = i + 10;
    }
    for (int i = 0; i < 25; i++) {
      manyAgain[i] = i + 10;
    }
    cs.add(new CustomerLog(4, List.of(basket(4, 60, many), basket(4, 2, manyAgain), basket(4, 1, 0, 1)), List.of()));
    cs.add(new CustomerLog(5, List.of(), List.of()));
    return cs;
  }

  private static double l2Distance(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(s);
  }

  @Test
  void sums_removeOneCustomer_changeAtMostOneInL2() {
    List<CustomerLog> all = fixture();
    double[] with = ItemStats.sums(all, SIZE, END);
    for (int k = 0; k < all.size(); k++) {
      List<CustomerLog> without = new ArrayList<>(all);
      without.remove(k);
      double d = l2Distance(with, ItemStats.sums(without, SIZE, END));
      assertTrue(d <= 1 + 1e-12, "customer " + all.get(k).customerId() + " moves the release by " + d);
    }
  }

  @Test
  void contribution_customerWithManyProducts_hasNormOneSpreadThinly() {
    CustomerLog many = fixture().get(3);
    double[] v = ItemStats.contribution(many, SIZE, END);
    double n2 = 0;
    for (double x : v) {
      n2 += x * x;
    }
    assertEquals(1.0, Math.sqrt(n2), 1e-12);
    // 52 products, 25 repeats, 27 recent (25 again + items 0 and 1): w = 1/sqrt(104).
    assertEquals(1 / Math.sqrt(104), v[10], 1e-15);
    assertEquals(1 / Math.sqrt(104), v[SIZE + 10], 1e-15);
    assertEquals(0.0, v[SIZE + 40]);
    assertEquals(1 / Math.sqrt(104), v[2 * SIZE + 0], 1e-15);
  }

  @Test
  void contribution_productTwiceInOneBasket_notARepeat() {
    double[] v = ItemStats.contribution(new CustomerLog(9, List.of(basket(9, 100, 7, 7)), List.of()), SIZE, END);
    assertEquals(1.0, v[7], 1e-15);
    assertEquals(0.0, v[SIZE + 7]);
  }

  @Test
  void privatised_features_inRangeAndDerivedFromReleaseOnly() {
    ItemStats s = ItemStats.privatised(fixture(), SIZE, END, 4, new GaussianNoise());
    assertTrue(s.isPrivatised());
    assertEquals(SIZE, s.size());
    FeatureExtractor fx = new FeatureExtractor(s);
    float[] out = new float[FeatureExtractor.FEATURES];
    for (int i = 0; i < SIZE; i++) {
      fx.writeUnseen(i, out, 0);
      for (int f = 0; f < FeatureExtractor.ITEM_FEATURES; f++) {
        assertTrue(out[f] >= 0 && out[f] <= 1, "feature " + f + " of item " + i + ": " + out[f]);
      }
      assertEquals(0f, out[3], "units per basket is not released");
    }
    assertThrows(IllegalStateException.class, () -> s.customers(0));
  }

  @Test
  void fromRelease_noiselessLargeCounts_featuresFollowTheCounts() {
    double[] release = new double[3 * 3];
    release[0] = 100; // buyers
    release[1] = 10;
    release[2] = -3; // negative noise: clamped
    release[3] = 50; // repeat buyers of item 0
    release[6] = 20; // recent buyers of item 0
    ItemStats s = ItemStats.fromRelease(release, 3, 4);
    FeatureExtractor fx = new FeatureExtractor(s);
    float[] out = new float[FeatureExtractor.FEATURES];
    fx.writeUnseen(0, out, 0);
    assertEquals(1f, out[0]);
    assertEquals(1f, out[1]);
    assertEquals(50f / 104, out[2], 1e-6);
    assertEquals(1f, out[4]);
    fx.writeUnseen(2, out, 0);
    assertEquals(0f, out[0]);
    assertEquals(0f, out[4]);
  }

  @Test
  void privatised_badNoiseMultiplier_rejectedWithMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ItemStats.privatised(fixture(), SIZE, END, 0, new GaussianNoise()));
    assertEquals("stats noise multiplier must be > 0 and finite. Provided value: 0.0", e.getMessage());
  }
}
