package org.hedgerow.aggregation.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hedgerow.privacy.accounting.DpEvent;
import org.hedgerow.privacy.accounting.RdpAccountant;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.junit.jupiter.api.Test;

class CentralDpFedAvgTest {
  private static final double DELTA = 1e-5;

  /** A fake noise source: adds nothing, records the standard deviation asked for. */
  private static final class RecordingNoNoise implements CentralDpFedAvg.Noise {
    final List<Double> stds = new ArrayList<>();

    @Override
    public double[] addNoise(double[] x, double standardDeviation) {
      stds.add(standardDeviation);
      return x.clone();
    }
  }

  private static CentralDpFedAvg strategy(double clip, double sigma, int clients, double cap, RecordingNoNoise noise) {
    return new CentralDpFedAvg(new FedAvg(new FitConfig(1, 8, 1)), clip, sigma, clients,
        new PrivacyBudget("coordinator", cap, DELTA), noise);
  }

  @Test
  void aggregateFit_largeDeltas_clippedSummedNoisedAndDividedByExpectedClients() {
    RecordingNoNoise noise = new RecordingNoNoise();
    CentralDpFedAvg s = strategy(1.0, 2.0, 4, 100, noise);
    // Two of the four expected clients report; a's delta is far above C, b's below it.
    List<ClientUpdate> updates = List.of(new ClientUpdate("a", 1000, new float[] {30, 40}),
        new ClientUpdate("b", 1, new float[] {0.3f, 0}));
    float[] next = s.aggregateFit(1, new float[] {1, 1}, updates);
    // a clipped to (0.6, 0.8); weights ignored; fixed denominator 4 (expected, not the 2 that came).
    assertEquals(1 + (0.6 + 0.3f) / 4, next[0], 1e-6);
    assertEquals(1 + 0.8 / 4, next[1], 1e-6);
    assertEquals(List.of(2.0 * 1.0), noise.stds);
    double eps = new RdpAccountant().compose(DpEvent.sampledGaussian(2.0, 1.0, 1)).epsilon(DELTA).epsilon();
    assertEquals(eps, s.budget().epsilon(), 0.0);
  }

  @Test
  void refusal_roundOverCap_refusedAndAggregateThrowsWithoutRelease() {
    double oneRound = new RdpAccountant().compose(DpEvent.sampledGaussian(2.0, 1.0, 1)).epsilon(DELTA).epsilon();
    CentralDpFedAvg s = strategy(1.0, 2.0, 2, oneRound, new RecordingNoNoise());
    List<ClientUpdate> u = List.of(new ClientUpdate("a", 1, new float[] {1, 0}));
    assertTrue(s.refusal(1).isEmpty());
    s.aggregateFit(1, new float[2], u);
    assertTrue(s.refusal(2).isPresent());
    assertThrows(IllegalStateException.class, () -> s.aggregateFit(2, new float[2], u));
    assertEquals(1, s.budget().rounds());
  }

  @Test
  void constructor_badParameters_rejectedWithMessages() {
    assertEquals("noise multiplier must be > 0 and finite. Provided value: 0.0",
        assertThrows(IllegalArgumentException.class, () -> strategy(1, 0, 2, 8, new RecordingNoNoise())).getMessage());
    assertEquals("clip norm must be > 0 and finite. Provided value: -1.0",
        assertThrows(IllegalArgumentException.class, () -> strategy(-1, 1, 2, 8, new RecordingNoNoise())).getMessage());
    assertThrows(IllegalArgumentException.class, () -> strategy(1, 1, 0, 8, new RecordingNoNoise()));
  }

  @Test
  void aggregateFit_serverOptimiserDelegate_stepsOnTheNoisyMean() {
    FitConfig fit = new FitConfig(1, 8, 1);
    CentralDpFedAvg s = new CentralDpFedAvg(new FedAvgM(fit, 0.5, 0.5), 1.0, 2.0, 2,
        new PrivacyBudget("coordinator", 100, DELTA), new RecordingNoNoise());
    // Round 1: clipped sum (0.6, 0.8) / 2 expected clients = (0.3, 0.4); FedAvgM η = 0.5: v = mean, x += 0.5·v.
    float[] x1 = s.aggregateFit(1, new float[2], List.of(new ClientUpdate("a", 1, new float[] {3, 4})));
    assertEquals(0.15, x1[0], 1e-7);
    assertEquals(0.2, x1[1], 1e-7);
    // Round 2: same mean; v = 0.5·(0.3, 0.4) + (0.3, 0.4) = (0.45, 0.6); x += 0.5·v.
    float[] x2 = s.aggregateFit(2, x1, List.of(new ClientUpdate("a", 1, new float[] {3, 4})));
    assertEquals(0.15 + 0.225, x2[0], 1e-6);
    assertEquals(0.2 + 0.3, x2[1], 1e-6);
    assertTrue(s.needsIndividualUpdates());
    assertTrue(s.state().length > 0, "the optimiser's moments are the strategy's state");
  }

  @Test
  void constructor_delegateNeedingIndividualUpdates_refused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CentralDpFedAvg(
        new CoordinateMedian(new FitConfig(1, 8, 1)), 1.0, 2.0, 2, new PrivacyBudget("coordinator", 8, DELTA)));
    assertTrue(e.getMessage().contains("CoordinateMedian needs each client's update"), e.getMessage());
  }
}
