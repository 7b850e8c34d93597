package org.hedgerow.aggregation.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class FedAvgTest {
  private final FedAvg fedAvg = new FedAvg(new FitConfig(1, 32, 1));

  @Test
  void aggregateFit_weightedByExamples_exactMean() {
    // weights 1, 3: mean delta = (1*[4, -8] + 3*[0, 4]) / 4 = [1, 1]
    float[] next = fedAvg.aggregateFit(1, new float[] {10, 20},
        List.of(new ClientUpdate("a", 1, new float[] {4, -8}), new ClientUpdate("b", 3, new float[] {0, 4})));
    assertArrayEquals(new float[] {11, 21}, next);
  }

  @Test
  void aggregateFit_equalWeights_plainMean() {
    float[] next = fedAvg.aggregateFit(1, new float[] {0, 0, 0}, List.of(
        new ClientUpdate("a", 5, new float[] {1, 2, 3}), new ClientUpdate("b", 5, new float[] {3, 2, 1})));
    assertArrayEquals(new float[] {2, 2, 2}, next);
  }

  @Test
  void aggregateFit_arrivalOrder_doesNotChangeResult() {
    List<ClientUpdate> updates = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      updates.add(new ClientUpdate("c" + i, 1 + i * 7, new float[] {0.1f * i, 1e-7f * i, 1e7f / (i + 1)}));
    }
    float[] a = fedAvg.aggregateFit(1, new float[3], updates);
    Collections.reverse(updates);
    float[] b = fedAvg.aggregateFit(1, new float[3], updates);
    assertArrayEquals(a, b);
  }

  @Test
  void aggregateFit_wrongDimension_rejected() {
    assertThrows(IllegalArgumentException.class, () -> fedAvg.aggregateFit(1, new float[2],
        List.of(new ClientUpdate("a", 1, new float[3]))));
  }

  @Test
  void aggregateFit_noUpdates_rejected() {
    assertThrows(IllegalArgumentException.class, () -> fedAvg.aggregateFit(1, new float[2], List.of()));
  }

  @Test
  void clientUpdate_zeroExamples_rejected() {
    assertThrows(IllegalArgumentException.class, () -> new ClientUpdate("a", 0, new float[1]));
  }
}
