package org.hedgerow.edge.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.SiloData;
import org.junit.jupiter.api.Test;

class TrainingSetBuilderCandidatesTest {
  private static Basket basket(int customer, int day, int... items) {
    int[] q = new int[items.length];
    java.util.Arrays.fill(q, 1);
    return new Basket("i" + customer + "-" + day, customer, LocalDateTime.of(2011, 1, 1, 0, 0).plusDays(day), items, q);
  }

  @Test
  void build_withCoPurchaseCandidates_negativeWeightsStillCoverTheWholeCatalogueOnce() {
    // Catalogue of 40; customer 1 has one target basket {2} after {0, 1}; others make 3, 4 and 5
    // co-purchase candidates of 0. Every stratum is small enough to be taken whole, except the rest
    // of the catalogue, whose weights must still add up to its size.
    int size = 40;
    List<CustomerLog> logs = new ArrayList<>();
    logs.add(new CustomerLog(1, List.of(basket(1, 0, 0, 1), basket(1, 1, 2)), List.of()));
    for (int c = 2; c <= 6; c++) {
      logs.add(new CustomerLog(c, List.of(basket(c, 0, 0, 3, 4, 5)), List.of()));
    }
    FeatureExtractor fx = new FeatureExtractor(ItemStats.of(List.of(new SiloData("s", logs)), size),
        CoPurchase.of(logs, size));
    TrainingSet ts = new TrainingSetBuilder(1, 16).build(logs.subList(0, 1), fx, 7L);
    double negatives = 0;
    int candidateRows = 0;
    int flag = FeatureExtractor.FEATURES - 1;
    for (int r = 0; r < ts.size(); r++) {
      if (ts.labels()[r] == 0f) {
        negatives += ts.weights()[r];
        candidateRows += ts.features()[r * FeatureExtractor.FEATURES + flag] == 1f ? 1 : 0;
      }
    }
    assertEquals(3, candidateRows); // 3, 4 and 5
    // (catalogue − the one target product) × the constant negative scale.
    assertEquals((size - 1) * TrainingSetBuilder.NEGATIVE_SCALE, negatives, 1e-4);
  }
}
