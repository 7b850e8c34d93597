package org.hedgerow.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NeighbourGraphTest {
  private static void assertRegularAndSymmetric(NeighbourGraph g) {
    int n = g.size();
    for (int u = 0; u < n; u++) {
      int[] nb = g.neighbours(u);
      assertEquals(g.degree(), nb.length, "degree of " + u);
      assertEquals(nb.length, Arrays.stream(nb).distinct().count(), "distinct neighbours of " + u);
      for (int v : nb) {
        assertTrue(v != u);
        assertTrue(g.areNeighbours(u, v) && g.areNeighbours(v, u));
        assertTrue(Arrays.binarySearch(g.neighbours(v), u) >= 0, u + " -> " + v + " not symmetric");
      }
      int count = 0;
      for (int v = 0; v < n; v++) {
        count += g.areNeighbours(u, v) ? 1 : 0;
      }
      assertEquals(g.degree(), count);
    }
  }

  @Test
  void neighbours_evenAndOddDegrees_graphIsKRegularAndSymmetric() {
    assertRegularAndSymmetric(new NeighbourGraph(SecAggConfig.builder(31, 1).neighbours(6).build()));
    assertRegularAndSymmetric(new NeighbourGraph(SecAggConfig.builder(30, 1).neighbours(7).build()));
    assertRegularAndSymmetric(new NeighbourGraph(SecAggConfig.builder(30, 1).neighbours(28).build()));
  }

  @Test
  void neighbours_classicConfig_isCompleteGraph() {
    NeighbourGraph g = new NeighbourGraph(SecAggConfig.builder(9, 1).build());
    assertArrayEquals(new int[] {0, 1, 2, 3, 5, 6, 7, 8}, g.neighbours(4));
    assertRegularAndSymmetric(g);
  }

  @Test
  void neighbours_sameSeed_sameGraph_differentSeed_differentGraph() {
    SecAggConfig a = SecAggConfig.builder(100, 1).neighbours(8).roundId(5).build();
    SecAggConfig b = SecAggConfig.builder(100, 1).neighbours(8).roundId(5).build();
    SecAggConfig c = SecAggConfig.builder(100, 1).neighbours(8).roundId(6).build();
    NeighbourGraph ga = new NeighbourGraph(a);
    NeighbourGraph gb = new NeighbourGraph(b);
    NeighbourGraph gc = new NeighbourGraph(c);
    boolean differs = false;
    for (int u = 0; u < 100; u++) {
      assertArrayEquals(ga.neighbours(u), gb.neighbours(u));
      differs |= !Arrays.equals(ga.neighbours(u), gc.neighbours(u));
    }
    assertTrue(differs);
    // and the permutation really scatters ids: client 0 is not just joined to 1, 2, 98, 99
    assertFalse(Arrays.equals(new int[] {1, 2, 3, 4, 96, 97, 98, 99}, ga.neighbours(0)));
  }
}
