package org.hedgerow.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.hedgerow.aggregation.strategy.ClientUpdate;
import org.hedgerow.aggregation.strategy.FedAvg;
import org.junit.jupiter.api.Test;

class RegionalSumTest {
  private static final SiloUpdate A = new SiloUpdate("a", 3, 0.5, 1.0, new float[] {1f, -2f});
  private static final SiloUpdate B = new SiloUpdate("b", 1, 0.1, 2.0, new float[] {5f, 2f});

  @Test
  void of_anyArrivalOrder_isFedAvgsWeightedMeanWithTotalWeight() {
    RegionalSum one = RegionalSum.of(List.of(A, B), 2);
    RegionalSum other = RegionalSum.of(List.of(B, A), 2);
    assertArrayEquals(one.mean(), other.mean());
    double[] fedAvg = FedAvg.weightedMean(List.of(new ClientUpdate("a", 3, A.delta()), new ClientUpdate("b", 1,
        B.delta())), 2);
    assertEquals((float) fedAvg[0], one.mean()[0]);
    assertEquals((float) fedAvg[1], one.mean()[1]);
    assertEquals(4, one.examples());
    assertEquals((0.5 * 3 + 0.1) / 4, one.loss(), 1e-15);
    assertEquals(3.0, one.seconds());
  }
}
