package org.hedgerow.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

  private static List<byte[]> keys(int n, long seed) {
    java.util.Random r = new java.util.Random(seed); // test data only: public keys' bytes
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(org.hedgerow.privacy.crypto.Ed25519.publicKeyOf(bytes(r)));
    }
    return out;
  }

  private static byte[] bytes(java.util.Random r) {
    byte[] b = new byte[32];
    r.nextBytes(b);
    return b;
  }

  private static Set<String> neighbourKeys(NeighbourGraph g, List<byte[]> keys, int u) {
    Set<String> out = new HashSet<>();
    for (int v : g.neighbours(u)) {
      out.add(java.util.HexFormat.of().formatHex(keys.get(v)));
    }
    return out;
  }

  @Test
  void neighbours_rosterWithoutOneClient_noOtherClientMoves() {
    // Each place depends on the seed and the client's own key only: leaving a client out of the
    // roster changes the neighbourhoods of its own neighbours and nobody else's.
    List<byte[]> all = keys(40, 1);
    List<byte[]> without17 = new ArrayList<>(all);
    without17.remove(17);
    NeighbourGraph a = new NeighbourGraph(SecAggConfig.builder(40, 1).neighbours(6).graphRound(9).build(),
        new ClientRoster(all));
    NeighbourGraph b = new NeighbourGraph(SecAggConfig.builder(39, 1).neighbours(6).graphRound(9).build(),
        new ClientRoster(without17));
    assertRegularAndSymmetric(a);
    assertRegularAndSymmetric(b);
    int unchanged = 0;
    for (int u = 0; u < 40; u++) {
      if (u == 17 || a.areNeighbours(u, 17)) {
        continue;
      }
      int inB = u < 17 ? u : u - 1;
      assertEquals(neighbourKeys(a, all, u), neighbourKeys(b, without17, inB), "client " + u + " moved");
      unchanged++;
    }
    assertEquals(33, unchanged);
  }

  @Test
  void digest_keyedByFederationRoundAndRoster_notBySession() {
    List<byte[]> keys = keys(30, 2);
    ClientRoster roster = new ClientRoster(keys);
    // Two sessions (protocol round ids) of federation round 9: the same graph.
    NeighbourGraph s1 = new NeighbourGraph(SecAggConfig.builder(30, 1).neighbours(6).roundId(111).graphRound(9).build(), roster);
    NeighbourGraph s2 = new NeighbourGraph(SecAggConfig.builder(30, 1).neighbours(6).roundId(222).graphRound(9).build(), roster);
    NeighbourGraph r10 = new NeighbourGraph(SecAggConfig.builder(30, 1).neighbours(6).roundId(111).graphRound(10).build(), roster);
    List<byte[]> swapped = new ArrayList<>(keys);
    swapped.set(4, keys(1, 3).get(0));
    NeighbourGraph other = new NeighbourGraph(SecAggConfig.builder(30, 1).neighbours(6).roundId(111).graphRound(9).build(),
        new ClientRoster(swapped));
    assertArrayEquals(s1.digest(), s2.digest());
    for (int u = 0; u < 30; u++) {
      assertArrayEquals(s1.neighbours(u), s2.neighbours(u));
    }
    assertFalse(Arrays.equals(s1.digest(), r10.digest()));
    assertFalse(Arrays.equals(s1.digest(), other.digest()));
    boolean differs = false;
    for (int u = 0; u < 30; u++) {
      differs |= !Arrays.equals(s1.neighbours(u), r10.neighbours(u));
    }
    assertTrue(differs, "another federation round gave the same graph");
  }
}
