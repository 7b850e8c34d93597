package org.hedgerow.aggregation.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RobustAggregationTest {
  private static final FitConfig FIT = new FitConfig(1, 8, 1);

  /** Four honest clients around [1, −1] and one attacker sending huge values with a huge weight. */
  private static List<ClientUpdate> withOutlier() {
    return List.of(
        new ClientUpdate("a", 10, new float[] {0.9f, -1.1f}),
        new ClientUpdate("b", 10, new float[] {1.0f, -1.0f}),
        new ClientUpdate("c", 10, new float[] {1.1f, -0.9f}),
        new ClientUpdate("d", 10, new float[] {1.2f, -1.2f}),
        new ClientUpdate("evil", 1_000_000, new float[] {1e30f, -1e30f}));
  }

  @Test
  void median_hugeOutlier_ignored() {
    // Sorted first coordinate: 0.9, 1.0, 1.1, 1.2, 1e30 -> median 1.1; second: -1e30, -1.2, -1.1, -1.0, -0.9 -> -1.1.
    float[] next = new CoordinateMedian(FIT).aggregateFit(1, new float[] {10, 10}, withOutlier());
    assertArrayEquals(new float[] {(float) (10 + (double) 1.1f), (float) (10 + (double) -1.1f)}, next);
    float[] fedAvg = new FedAvg(FIT).aggregateFit(1, new float[] {10, 10}, withOutlier());
    assertTrue(fedAvg[0] > 1e28, "FedAvg follows the attacker, which is why the robust rules exist");
  }

  @Test
  void median_evenCount_meanOfMiddleTwo() {
    List<ClientUpdate> u = List.of(new ClientUpdate("a", 1, new float[] {1}), new ClientUpdate("b", 1, new float[] {2}),
        new ClientUpdate("c", 1, new float[] {4}), new ClientUpdate("d", 1, new float[] {100}));
    assertArrayEquals(new float[] {3}, new CoordinateMedian(FIT).aggregateFit(1, new float[1], u));
  }

  @Test
  void trimmedMean_hugeOutlier_trimmedAway() {
    // β = 0.2, m = 5: one value trimmed per side. First coordinate keeps 1.0, 1.1, 1.2 -> 1.1;
    // second keeps -1.1, -1.0, -0.9... sorted: -1e30, -1.2, -1.1, -1.0, -0.9 -> keeps -1.2, -1.1, -1.0 -> -1.1.
    float[] next = new TrimmedMean(FIT, 0.2).aggregateFit(1, new float[2], withOutlier());
    assertEquals(1.1, next[0], 1e-6);
    assertEquals(-1.1, next[1], 1e-6);
  }

  @Test
  void trimmedMean_tooFewUpdatesForTrim_refusedSayingHowMany() {
    List<ClientUpdate> four = withOutlier().subList(0, 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TrimmedMean(FIT, 0.2).aggregateFit(1, new float[2], four));
    assertEquals("trimmed mean with trim_fraction 0.2 trims nothing from 4 updates; it needs at least 5 updates "
        + "per round", e.getMessage());
  }

  @Test
  void trimmedMean_minimumUpdates_isSmallestCountThatTrims() {
    for (double beta : new double[] {0.1, 0.2, 0.25, 0.3, 1.0 / 3, 0.49, 0.01}) {
      TrimmedMean t = new TrimmedMean(FIT, beta);
      int m = t.minimumUpdates();
      assertTrue(t.trimmed(m) >= 1 && (m == 1 || t.trimmed(m - 1) == 0), "beta " + beta + " -> " + m);
    }
  }

  @Test
  void trimmedMean_badFraction_refusedNamingValue() {
    for (double bad : new double[] {0, 0.5, -0.1, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrimmedMean(FIT, bad));
      assertEquals("trim_fraction must be in (0, 0.5). Provided value: " + bad, e.getMessage());
    }
  }

  @Test
  void robustRules_arrivalOrder_doesNotChangeResult() {
    List<ClientUpdate> u = new ArrayList<>();
    for (int c = 0; c < 11; c++) {
      float[] d = new float[20];
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) Math.cos(c * 1.7 + i) * (c + 1);
      }
      u.add(new ClientUpdate("c" + c, 1 + c, d));
    }
    for (Strategy s : List.of(new CoordinateMedian(FIT), new TrimmedMean(FIT, 0.2),
        new UpdateNormBound(new FedAvg(FIT), 3.0))) {
      float[] a = s.aggregateFit(1, new float[20], u);
      List<ClientUpdate> reversed = new ArrayList<>(u);
      Collections.reverse(reversed);
      assertArrayEquals(a, s.aggregateFit(1, new float[20], reversed), s.getClass().getSimpleName());
    }
  }

  @Test
  void robustRules_needIndividualUpdates_andRefuseTheMean() {
    for (Strategy s : List.of(new CoordinateMedian(FIT), new TrimmedMean(FIT, 0.2),
        new UpdateNormBound(new FedAdam(FIT, 0.01, 0.9, 0.99, 1e-3), 1))) {
      assertTrue(s.needsIndividualUpdates());
      assertThrows(UnsupportedOperationException.class, () -> s.aggregateMean(1, new float[1], new double[1]));
    }
  }

  @Test
  void updateNormBound_longUpdate_scaledToBoundShortOneKept() {
    UpdateNormBound b = new UpdateNormBound(new FedAvg(FIT), 1.0);
    ClientUpdate small = new ClientUpdate("s", 1, new float[] {0.3f, 0.4f});
    assertSame(small, b.bound(small));
    assertArrayEquals(new float[] {0.6f, 0.8f}, b.bound(new ClientUpdate("l", 1, new float[] {3, 4})).delta(), 1e-7f);
    // Mean of [0.6, 0.8] and [0.3, 0.4] with equal weights.
    float[] next = b.aggregateFit(1, new float[2], List.of(new ClientUpdate("l", 1, new float[] {3, 4}), small));
    assertArrayEquals(new float[] {0.45f, 0.6f}, next, 1e-7f);
  }

  @Test
  void updateNormBound_hugeOutlier_influenceLimited() {
    float[] next = new UpdateNormBound(new FedAvg(FIT), 2.0).aggregateFit(1, new float[2], withOutlier());
    assertTrue(Math.abs(next[0]) < 2 && Math.abs(next[1]) < 2, java.util.Arrays.toString(next));
  }

  @Test
  void updateNormBound_state_isDelegates() {
    FedAvgM inner = new FedAvgM(FIT, 1, 0.9);
    UpdateNormBound b = new UpdateNormBound(inner, 1.0);
    b.aggregateFit(1, new float[2], List.of(new ClientUpdate("a", 1, new float[] {3, 4})));
    assertArrayEquals(inner.state(), b.state());
    UpdateNormBound fresh = new UpdateNormBound(new FedAvgM(FIT, 1, 0.9), 1.0);
    fresh.restoreState(b.state());
    assertArrayEquals(b.state(), fresh.state());
  }

  @Test
  void updateNormBound_badBound_refusedNamingValue() {
    assertEquals("max_update_norm must be > 0 and finite. Provided value: -1.0",
        assertThrows(IllegalArgumentException.class, () -> new UpdateNormBound(new FedAvg(FIT), -1)).getMessage());
  }
}
