package org.hedgerow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterPlanTest {
  private static final List<ClusterPlan.Silo> SILOS = List.of(new ClusterPlan.Silo("d", 10),
      new ClusterPlan.Silo("a", 40), new ClusterPlan.Silo("c", 30), new ClusterPlan.Silo("b", 20));

  @Test
  void of_twoRegions_contiguousBlocksInNameOrderCutAtHalfTheExamples() {
    ClusterPlan p = ClusterPlan.of(SILOS, List.of("w2", "w1"), 2);
    assertEquals(List.of("a", "b"), p.regions().get(0).silos()); // 40 + 20 >= 100 / 2
    assertEquals(List.of("c", "d"), p.regions().get(1).silos());
    assertEquals("w1", p.regions().get(0).leader());
    assertEquals("w2", p.regions().get(1).leader());
  }

  @Test
  void of_moreWorkers_sameRegionsSilosSpreadByLoad() {
    ClusterPlan two = ClusterPlan.of(SILOS, List.of("w1", "w2"), 2);
    ClusterPlan four = ClusterPlan.of(SILOS, List.of("w4", "w3", "w2", "w1"), 2);
    for (int r = 0; r < 2; r++) {
      assertEquals(two.regions().get(r).silos(), four.regions().get(r).silos(), "regions depend on silos only");
    }
    // region 1 = {a, b} on members w1, w3: the largest silo to one, the next to the other
    assertEquals(List.of("a"), four.regions().get(0).members().get("w1"));
    assertEquals(List.of("b"), four.regions().get(0).members().get("w3"));
  }

  @Test
  void of_everyRegionNonEmpty_evenWhenOneSiloDominates() {
    List<ClusterPlan.Silo> skewed = List.of(new ClusterPlan.Silo("a", 1_000), new ClusterPlan.Silo("b", 1),
        new ClusterPlan.Silo("c", 1));
    ClusterPlan p = ClusterPlan.of(skewed, List.of("w1", "w2", "w3"), 3);
    for (ClusterPlan.Region r : p.regions()) {
      assertEquals(1, r.silos().size(), r.toString());
    }
  }

  @Test
  void of_moreRegionsThanWorkersOrSilos_refusedWithCounts() {
    var e = assertThrows(IllegalArgumentException.class, () -> ClusterPlan.of(SILOS, List.of("w1"), 2));
    assertTrue(e.getMessage().contains("the cluster has 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ClusterPlan.of(SILOS, List.of("1", "2", "3", "4", "5"), 5));
    assertTrue(e.getMessage().contains("the run has 4"), e.getMessage());
  }

  @Test
  void of_minimumThreeSilos_everyRegionHoldsThreeEvenWhenTheFirstSiloDominates() {
    List<ClusterPlan.Silo> skewed = new java.util.ArrayList<>();
    skewed.add(new ClusterPlan.Silo("a", 1_000));
    for (String n : List.of("b", "c", "d", "e", "f", "g", "h", "i")) {
      skewed.add(new ClusterPlan.Silo(n, 5));
    }
    ClusterPlan p = ClusterPlan.of(skewed, List.of("w1", "w2", "w3"), 3, 3);
    assertEquals(List.of("a", "b", "c"), p.regions().get(0).silos(), "the mark is passed at a, the cut waits for three");
    assertEquals(List.of("d", "e", "f"), p.regions().get(1).silos());
    assertEquals(List.of("g", "h", "i"), p.regions().get(2).silos());
  }

  @Test
  void of_tooFewSilosForTheMinimum_refusedNamingSecureAggregation() {
    var e = assertThrows(IllegalArgumentException.class, () -> ClusterPlan.of(SILOS, List.of("w1", "w2"), 2, 3));
    assertTrue(e.getMessage().contains("6 training silos") && e.getMessage().contains("secure aggregation"),
        e.getMessage());
  }
}
