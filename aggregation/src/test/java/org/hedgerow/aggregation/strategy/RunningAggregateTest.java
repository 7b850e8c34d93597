package org.hedgerow.aggregation.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.clipping.L2Clipping;
import org.junit.jupiter.api.Test;

/**
 * A running aggregate fed in client-id order gives bit for bit what the batch rules gave before it
 * existed. The references below are frozen copies of the pre-streaming arithmetic (double sums in
 * client-id order), so a change to either side's rounding shows up here. Deterministic: no
 * statistical assertion, fixed seeds.
 */
class RunningAggregateTest {
  private static final int DIM = 4097;
  private static final FitConfig FIT = new FitConfig(1, 8, 1);

  /** Updates with awkward magnitudes (so the order of the double additions matters) and varied weights. */
  private static List<ClientUpdate> updates(int n, long seed) {
    Random r = new Random(seed);
    List<ClientUpdate> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      float[] d = new float[DIM];
      for (int i = 0; i < DIM; i++) {
        d[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
      }
      out.add(new ClientUpdate(String.format("silo-%04d", r.nextInt(10_000)) + "-" + k, 1 + r.nextInt(5000), d));
    }
    Collections.shuffle(out, r); // arrival order
    return out;
  }

  private static float[] model(long seed) {
    Random r = new Random(seed);
    float[] m = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      m[i] = (float) r.nextGaussian();
    }
    return m;
  }

  /** Frozen copy of the weighted mean as Updates computed it before the running sum. */
  private static double[] referenceWeightedMean(List<ClientUpdate> updates) {
    List<ClientUpdate> sorted = new ArrayList<>(updates);
    sorted.sort(Comparator.comparing(ClientUpdate::clientId));
    double[] sum = new double[DIM];
    double total = 0;
    for (ClientUpdate u : sorted) {
      double w = u.examples();
      total += w;
      for (int i = 0; i < DIM; i++) {
        sum[i] += w * u.delta()[i];
      }
    }
    for (int i = 0; i < DIM; i++) {
      sum[i] /= total;
    }
    return sum;
  }

  private static float[] referenceFedAvg(float[] current, List<ClientUpdate> updates) {
    double[] mean = referenceWeightedMean(updates);
    float[] next = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      next[i] = (float) (current[i] + mean[i]);
    }
    return next;
  }

  private static float[] streamed(Strategy s, int round, float[] current, List<ClientUpdate> arrived) {
    RunningAggregate a = s.runningAggregate(round, current).orElseThrow();
    List<ClientUpdate> sorted = new ArrayList<>(arrived);
    sorted.sort(Comparator.comparing(ClientUpdate::clientId));
    sorted.forEach(a::add);
    assertEquals(arrived.size(), a.count());
    return a.finish();
  }

  @Test
  void fedAvg_streamedInIdOrder_bitIdenticalToBatchAndReference() {
    for (long seed = 1; seed <= 5; seed++) {
      List<ClientUpdate> u = updates(37, seed);
      float[] current = model(seed);
      float[] reference = referenceFedAvg(current, u);
      assertArrayEquals(reference, streamed(new FedAvg(FIT), 1, current, u), "seed " + seed);
      assertArrayEquals(reference, new FedAvg(FIT).aggregateFit(1, current, u), "seed " + seed);
    }
  }

  @Test
  void serverOptimizers_streamedOverRounds_bitIdenticalToReferenceMeanSteps() {
    for (String kind : List.of("fedavgm", "fedadam", "fedyogi")) {
      AggregatorSpec spec = AggregatorSpec.of(kind);
      Strategy running = Aggregators.create(spec, FIT);
      Strategy reference = Aggregators.create(spec, FIT);
      float[] a = model(9);
      float[] b = model(9);
      for (int round = 1; round <= 3; round++) {
        List<ClientUpdate> u = updates(11, round * 31L);
        a = streamed(running, round, a, u);
        b = reference.aggregateMean(round, b, referenceWeightedMean(u));
        assertArrayEquals(b, a, kind + " round " + round);
      }
      assertArrayEquals(reference.state(), running.state(), kind + " state");
    }
  }

  @Test
  void normBound_streamed_bitIdenticalToBatch() {
    List<ClientUpdate> u = updates(23, 7);
    float[] current = model(7);
    UpdateNormBound bound = new UpdateNormBound(new FedAvg(FIT), 5.0);
    List<ClientUpdate> bounded = u.stream().map(bound::bound).toList();
    assertTrue(bounded.stream().anyMatch(x -> !u.contains(x)), "some updates must be clipped for the test to mean anything");
    assertArrayEquals(referenceFedAvg(current, bounded), streamed(bound, 1, current, u));
    assertArrayEquals(referenceFedAvg(current, bounded), bound.aggregateFit(1, current, u));
  }

  /** Deterministic stand-in for the Gaussian noise: adds a fixed pattern, so two runs can be compared bitwise. */
  private static final class PatternNoiseFake implements CentralDpFedAvg.Noise {
    @Override
    public double[] addNoise(double[] x, double standardDeviation) {
      double[] y = x.clone();
      for (int i = 0; i < y.length; i++) {
        y[i] += standardDeviation * Math.sin(i);
      }
      return y;
    }
  }

  @Test
  void centralDp_streamed_bitIdenticalToReferenceClippedSum() {
    List<ClientUpdate> u = updates(19, 3);
    float[] current = model(3);
    double clip = 2.0;
    double sigma = 1.1;
    CentralDpFedAvg dp = new CentralDpFedAvg(new FedAvg(FIT), clip, sigma, 25,
        new PrivacyBudget("coordinator", 1e6, 1e-5), new PatternNoiseFake());
    // Frozen copy of the pre-streaming arithmetic: clipped deltas summed in id order, noise, fixed denominator.
    List<ClientUpdate> sorted = new ArrayList<>(u);
    sorted.sort(Comparator.comparing(ClientUpdate::clientId));
    double[] sum = new double[DIM];
    for (ClientUpdate x : sorted) {
      double[] d = new double[DIM];
      for (int i = 0; i < DIM; i++) {
        d[i] = x.delta()[i];
      }
      double[] c = L2Clipping.clip(d, clip);
      for (int i = 0; i < DIM; i++) {
        sum[i] += c[i];
      }
    }
    double[] noisy = new PatternNoiseFake().addNoise(sum, sigma * clip);
    float[] expected = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      expected[i] = (float) (current[i] + noisy[i] / 25);
    }
    assertArrayEquals(expected, streamed(dp, 1, current, u));
    assertEquals(1, dp.budget().spends().size(), "the budget is charged once, at finish");
  }

  @Test
  void add_outOfOrderOrWrongDimension_refusedNamingTheUpdate() {
    RunningAggregate a = new FedAvg(FIT).runningAggregate(1, new float[2]).orElseThrow();
    a.add(new ClientUpdate("b", 1, new float[2]));
    IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
        () -> a.add(new ClientUpdate("a", 1, new float[2])));
    assertTrue(order.getMessage().contains("ascending"), order.getMessage());
    IllegalArgumentException dim = assertThrows(IllegalArgumentException.class,
        () -> a.add(new ClientUpdate("c", 1, new float[3])));
    assertTrue(dim.getMessage().contains("has 3 entries"), dim.getMessage());
  }

  @Test
  void robustRules_haveNoRunningAggregate() {
    assertTrue(new CoordinateMedian(FIT).runningAggregate(1, new float[2]).isEmpty());
    assertTrue(new TrimmedMean(FIT, 0.1).runningAggregate(1, new float[2]).isEmpty());
    assertTrue(new UpdateNormBound(new CoordinateMedian(FIT), 1).runningAggregate(1, new float[2]).isEmpty());
  }
}
