package org.hedgerow.aggregation.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ServerOptimizerTest {
  private static final FitConfig FIT = new FitConfig(1, 8, 1);

  /** Round 1: weights 1 and 3, deltas 0 and 4, so Δ₁ = 3. Round 2: equal weights, deltas 2 and 0, Δ₂ = 1. */
  private static List<ClientUpdate> round(int r) {
    return r == 1
        ? List.of(new ClientUpdate("a", 1, new float[] {0}), new ClientUpdate("b", 3, new float[] {4}))
        : List.of(new ClientUpdate("a", 1, new float[] {2}), new ClientUpdate("b", 1, new float[] {0}));
  }

  private static float[] twoRounds(Strategy s, float[] afterRoundOne) {
    float[] x1 = s.aggregateFit(1, new float[] {0}, round(1));
    afterRoundOne[0] = x1[0];
    return s.aggregateFit(2, x1, round(2));
  }

  @Test
  void fedAvgM_twoRounds_matchesHandComputedMomentum() {
    // η = 0.5, μ = 0.5. v₁ = 3, x₁ = 1.5; v₂ = 0.5·3 + 1 = 2.5, x₂ = 1.5 + 1.25 = 2.75.
    float[] x1 = new float[1];
    float[] x2 = twoRounds(new FedAvgM(FIT, 0.5, 0.5), x1);
    assertEquals(1.5f, x1[0]);
    assertEquals(2.75f, x2[0]);
  }

  @Test
  void fedAvgM_zeroMomentumUnitRate_equalsFedAvg() {
    List<ClientUpdate> u = List.of(new ClientUpdate("a", 2, new float[] {0.1f, -3}), new ClientUpdate("b", 5,
        new float[] {7, 0.25f}));
    float[] current = {1, 2};
    assertArrayEquals(new FedAvg(FIT).aggregateFit(1, current, u), new FedAvgM(FIT, 1, 0).aggregateFit(1, current, u));
  }

  @Test
  void fedAdam_twoRounds_matchesHandComputedAlgorithm2() {
    // η = 1, β₁ = β₂ = 0.5, τ = 1, so m₋₁ = 0, v₋₁ = τ² = 1.
    // Round 1, Δ = 3: m = 1.5, v = 0.5·1 + 0.5·9 = 5,   x₁ = 1.5 / (√5 + 1) = 0.46352549
    // Round 2, Δ = 1: m = 1.25, v = 0.5·5 + 0.5·1 = 3,  x₂ = x₁ + 1.25 / (√3 + 1) = x₁ + 0.45753175
    float[] x1 = new float[1];
    float[] x2 = twoRounds(new FedAdam(FIT, 1, 0.5, 0.5, 1), x1);
    assertEquals(0.46352549, x1[0], 1e-6);
    assertEquals(0.46352549 + 0.45753175, x2[0], 1e-6);
  }

  @Test
  void fedYogi_twoRounds_matchesHandComputedAlgorithm2() {
    // Same settings. v = v − (1 − β₂)·Δ²·sign(v − Δ²):
    // Round 1, Δ = 3: sign(1 − 9) = −1, v = 1 + 0.5·9 = 5.5, x₁ = 1.5 / (√5.5 + 1) = 0.44840263
    // Round 2, Δ = 1: sign(5.5 − 1) = +1, v = 5.5 − 0.5·1 = 5, x₂ = x₁ + 1.25 / (√5 + 1) = x₁ + 0.38627124
    float[] x1 = new float[1];
    float[] x2 = twoRounds(new FedYogi(FIT, 1, 0.5, 0.5, 1), x1);
    assertEquals(0.44840263, x1[0], 1e-6);
    assertEquals(0.44840263 + 0.38627124, x2[0], 1e-6);
  }

  @Test
  void fedYogi_afterLargeRound_decaysSecondMomentSlowerThanAdam() {
    // Reddi et al. / Zaheer et al.: Adam's v moves towards Δ² by (1 − β₂)·(v − Δ²), Yogi's by only
    // (1 − β₂)·Δ², so after a large round followed by a small one Yogi keeps v larger (v = 5 vs 3
    // above) and takes the smaller step, and on the way up Yogi's v grows more (5.5 vs 5).
    float[] adam1 = new float[1];
    float[] yogi1 = new float[1];
    float[] adam2 = twoRounds(new FedAdam(FIT, 1, 0.5, 0.5, 1), adam1);
    float[] yogi2 = twoRounds(new FedYogi(FIT, 1, 0.5, 0.5, 1), yogi1);
    assertTrue(yogi1[0] < adam1[0], "round 1: Yogi's larger v gives the smaller step");
    assertTrue(yogi2[0] - yogi1[0] < adam2[0] - adam1[0], "round 2: Yogi's v decayed less");
  }

  @Test
  void fedYogi_gradientEqualToSecondMoment_leavesItUnchanged() {
    // sign(0) = 0. With τ = 1, v₋₁ = 1; Δ = 1 keeps v = 1: step = η·(1 − β₁)·1 / (1 + 1).
    float[] x = new FedYogi(FIT, 1, 0.5, 0.5, 1).aggregateFit(1, new float[] {0},
        List.of(new ClientUpdate("a", 1, new float[] {1})));
    assertEquals(0.25f, x[0]);
  }

  private static List<Supplier<ServerOptimizer>> optimisers() {
    return List.of(() -> new FedAvgM(FIT, 0.7, 0.9), () -> new FedAdam(FIT, 0.01, 0.9, 0.99, 1e-3),
        () -> new FedYogi(FIT, 0.01, 0.9, 0.99, 1e-3));
  }

  /** Deterministic, varied updates for round r (three clients). */
  private static List<ClientUpdate> updates(int r, int dim) {
    List<ClientUpdate> u = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      float[] d = new float[dim];
      for (int i = 0; i < dim; i++) {
        d[i] = (float) Math.sin(1.3 * r + 0.7 * c + 0.11 * i) * (c + 1) * 1e-2f;
      }
      u.add(new ClientUpdate("client-" + c, 10 + 7L * c + r, d));
    }
    return u;
  }

  @Test
  void restoreState_afterRoundOne_roundsTwoAndThreeBitIdentical() {
    int dim = 257;
    for (Supplier<ServerOptimizer> make : optimisers()) {
      ServerOptimizer live = make.get();
      float[] x = new float[dim];
      Arrays.fill(x, 0.5f);
      x = live.aggregateFit(1, x, updates(1, dim));
      byte[] snapshot = live.state();
      float[] afterOne = x.clone();
      x = live.aggregateFit(2, x, updates(2, dim));
      x = live.aggregateFit(3, x, updates(3, dim));

      ServerOptimizer restarted = make.get();
      restarted.restoreState(snapshot);
      assertEquals(1, restarted.lastRound());
      float[] y = restarted.aggregateFit(2, afterOne, updates(2, dim));
      y = restarted.aggregateFit(3, y, updates(3, dim));
      assertArrayEquals(x, y, live.kind());
      assertArrayEquals(live.state(), restarted.state(), live.kind());
    }
  }

  @Test
  void restoreState_freshSnapshot_roundTrips() {
    for (Supplier<ServerOptimizer> make : optimisers()) {
      ServerOptimizer s = make.get();
      ServerOptimizer t = make.get();
      t.restoreState(s.state());
      assertArrayEquals(s.state(), t.state());
    }
  }

  @Test
  void restoreState_otherRule_refusedNamingBoth() {
    FedAdam adam = new FedAdam(FIT, 0.01, 0.9, 0.99, 1e-3);
    adam.aggregateFit(1, new float[2], updates(1, 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FedYogi(FIT, 0.01, 0.9, 0.99, 1e-3).restoreState(adam.state()));
    assertEquals("state was written by fedadam, cannot restore it into fedyogi", e.getMessage());
  }

  @Test
  void restoreState_otherHyperparameters_refused() {
    FedAdam adam = new FedAdam(FIT, 0.01, 0.9, 0.99, 1e-3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FedAdam(FIT, 0.01, 0.8, 0.99, 1e-3).restoreState(adam.state()));
    assertTrue(e.getMessage().contains("hyperparameters [0.01, 0.9, 0.99, 0.001], this run has [0.01, 0.8, 0.99, 0.001]"),
        e.getMessage());
  }

  @Test
  void restoreState_truncatedOrPadded_refusedAndUnchanged() {
    FedAvgM m = new FedAvgM(FIT, 1, 0.9);
    m.aggregateFit(1, new float[4], updates(1, 4));
    byte[] good = m.state();
    FedAvgM target = new FedAvgM(FIT, 1, 0.9);
    byte[] before = target.state();
    IllegalArgumentException shortErr = assertThrows(IllegalArgumentException.class,
        () -> target.restoreState(Arrays.copyOf(good, good.length - 8)));
    assertTrue(shortErr.getMessage().contains("needs 32 bytes of moments, got 24"), shortErr.getMessage());
    IllegalArgumentException longErr = assertThrows(IllegalArgumentException.class,
        () -> target.restoreState(Arrays.copyOf(good, good.length + 1)));
    assertTrue(longErr.getMessage().contains("got 33"), longErr.getMessage());
    assertThrows(IllegalArgumentException.class, () -> target.restoreState(Arrays.copyOf(good, 5)));
    assertThrows(IllegalArgumentException.class, () -> target.restoreState(new byte[0]));
    assertArrayEquals(before, target.state());
  }

  @Test
  void restoreState_wrongVersion_refused() {
    byte[] s = new FedAvgM(FIT, 1, 0.9).state();
    s[0] = 9;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FedAvgM(FIT, 1, 0.9).restoreState(s));
    assertEquals("fedavgm state has version 9, expected 1", e.getMessage());
  }

  @Test
  void aggregateFit_stateOfOtherDimension_refused() {
    FedAvgM m = new FedAvgM(FIT, 1, 0.9);
    m.aggregateFit(1, new float[4], updates(1, 4));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.aggregateFit(2, new float[3], updates(2, 3)));
    assertEquals("fedavgm state has dimension 4, the model has 3", e.getMessage());
  }

  @Test
  void aggregateFit_sameRoundTwice_refused() {
    FedAdam adam = new FedAdam(FIT, 0.01, 0.9, 0.99, 1e-3);
    adam.aggregateFit(1, new float[2], updates(1, 2));
    assertThrows(IllegalStateException.class, () -> adam.aggregateFit(1, new float[2], updates(1, 2)));
  }

  @Test
  void aggregateMean_nonFiniteMean_refusedBeforeStateChanges() {
    FedAdam adam = new FedAdam(FIT, 0.01, 0.9, 0.99, 1e-3);
    byte[] before = adam.state();
    assertThrows(IllegalArgumentException.class,
        () -> adam.aggregateMean(1, new float[2], new double[] {0, Double.NaN}));
    assertArrayEquals(before, adam.state());
  }

  @Test
  void aggregateMean_sameAsAggregateFitOfTheMean() {
    for (Supplier<ServerOptimizer> make : optimisers()) {
      float[] current = {0.5f, -0.25f, 1};
      List<ClientUpdate> u = updates(1, 3);
      float[] viaFit = make.get().aggregateFit(1, current, u);
      float[] viaMean = make.get().aggregateMean(1, current, Updates.weightedMean(u, 3));
      assertArrayEquals(viaFit, viaMean);
      assertFalse(make.get().needsIndividualUpdates());
    }
  }

  @Test
  void aggregateFit_arrivalOrder_doesNotChangeResult() {
    for (Supplier<ServerOptimizer> make : optimisers()) {
      List<ClientUpdate> u = new ArrayList<>(updates(1, 50));
      u.addAll(updates(2, 50).stream().map(c -> new ClientUpdate(c.clientId() + "-x", c.examples(), c.delta())).toList());
      float[] a = make.get().aggregateFit(1, new float[50], u);
      Collections.reverse(u);
      float[] b = make.get().aggregateFit(1, new float[50], u);
      assertArrayEquals(a, b);
    }
  }

  @Test
  void constructors_badHyperparameters_refusedNamingValue() {
    assertEquals("server_momentum must be in [0, 1). Provided value: 1.0",
        assertThrows(IllegalArgumentException.class, () -> new FedAvgM(FIT, 1, 1)).getMessage());
    assertEquals("server_learning_rate must be > 0 and finite. Provided value: 0.0",
        assertThrows(IllegalArgumentException.class, () -> new FedAdam(FIT, 0, 0.9, 0.99, 1e-3)).getMessage());
    assertEquals("beta1 must be in [0, 1). Provided value: -0.1",
        assertThrows(IllegalArgumentException.class, () -> new FedYogi(FIT, 1, -0.1, 0.99, 1e-3)).getMessage());
    assertEquals("beta2 must be in [0, 1). Provided value: NaN",
        assertThrows(IllegalArgumentException.class, () -> new FedYogi(FIT, 1, 0.9, Double.NaN, 1e-3)).getMessage());
    assertEquals("tau must be > 0 and finite. Provided value: 0.0",
        assertThrows(IllegalArgumentException.class, () -> new FedAdam(FIT, 1, 0.9, 0.99, 0)).getMessage());
  }
}
