package org.hedgerow.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class SecAggProtocolTest {
  private static SecAggConfig classic(int n, int dim) {
    return SecAggConfig.builder(n, dim).roundId(11).build();
  }

  private static SecAggConfig plus(int n, int k, int dim) {
    return SecAggConfig.builder(n, dim).neighbours(k).roundId(12).build();
  }

  @Test
  void run_classicNoDropouts_returnsPlaintextSum() {
    SecAggHarness h = new SecAggHarness(classic(10, 33), 1);
    SecAggResult r = h.run();
    assertEquals(10, r.survivorCount());
    assertArrayEquals(h.expectedSum(r.survivors()), r.sum());
    assertEquals(Stage.DONE, h.server.stage());
  }

  @Test
  void run_secAggPlusNoDropouts_returnsPlaintextSum() {
    SecAggHarness h = new SecAggHarness(plus(20, 6, 40), 2);
    SecAggResult r = h.run();
    assertArrayEquals(h.expectedSum(r.survivors()), r.sum());
  }

  @Test
  void run_smallModulus_sumIsReducedModTwoToB() {
    SecAggConfig c = SecAggConfig.builder(12, 25).neighbours(4).modulusBits(7).build();
    SecAggHarness h = new SecAggHarness(c, 3).drop(Stage.MASKED_INPUT, 5);
    SecAggResult r = h.run();
    assertEquals(11, r.survivorCount());
    assertArrayEquals(h.expectedSum(r.survivors()), r.sum());
    for (int v : r.sum()) {
      assertTrue(v >= 0 && v < 128);
    }
  }

  @Test
  void run_dropAfterSharing_pairwiseMasksAreReconstructed() {
    SecAggHarness h = new SecAggHarness(classic(12, 50), 4).drop(Stage.MASKED_INPUT, 0, 3, 7);
    SecAggResult r = h.run();
    assertArrayEquals(new int[] {1, 2, 4, 5, 6, 8, 9, 10, 11}, r.survivors());
    assertArrayEquals(h.expectedSum(r.survivors()), r.sum());
  }

  @Test
  void run_dropAtEachSingleStage_sumOfSurvivors() {
    for (Stage s : new Stage[] {Stage.ADVERTISE_KEYS, Stage.SHARE_KEYS, Stage.MASKED_INPUT, Stage.UNMASK}) {
      SecAggHarness h = new SecAggHarness(plus(16, 8, 20), 5).drop(s, 2, 9);
      SecAggResult r = h.run();
      int expectedSurvivors = s == Stage.UNMASK ? 16 : 14; // who dropped while unmasking is still in the sum
      assertEquals(expectedSurvivors, r.survivorCount(), s.toString());
      assertArrayEquals(h.expectedSum(r.survivors()), r.sum(), s.toString());
    }
  }

  @Test
  void run_randomDropoutPatternsOverManySeeds_correctOrCleanAbort() {
    Random rnd = new Random(20240601);
    int completed = 0;
    int aborted = 0;
    for (int trial = 0; trial < 30; trial++) {
      int n = 10 + rnd.nextInt(21); // 10..30
      int k;
      if (rnd.nextBoolean()) {
        k = n - 1;
      } else {
        k = 4 + 2 * rnd.nextInt((n - 5) / 2); // even, 4..n-2
      }
      SecAggConfig c = SecAggConfig.builder(n, 1 + rnd.nextInt(40)).neighbours(k).roundId(trial).build();
      SecAggHarness h = new SecAggHarness(c, trial).dropRandomly(0.05 + 0.25 * rnd.nextDouble(), rnd);
      try {
        SecAggResult r = h.run();
        assertArrayEquals(h.expectedSum(r.survivors()), r.sum(), "trial " + trial + " " + c);
        completed++;
      } catch (SecAggAbortedException e) {
        assertEquals(Stage.ABORTED, h.server.stage(), "trial " + trial);
        aborted++;
      }
    }
    // Dropout rates are moderate, so most rounds must complete; aborts are allowed but not the norm.
    assertTrue(completed >= 22, "completed " + completed + ", aborted " + aborted);
  }

  @Test
  void closeMasking_fewerSurvivorsThanThreshold_abortsBeforeAnyReveal() {
    SecAggConfig c = classic(10, 8); // t = 6
    SecAggHarness h = new SecAggHarness(c, 6).drop(Stage.MASKED_INPUT, 0, 1, 2, 3, 4);
    h.stage0();
    h.stage1();
    SecAggAbortedException e = assertThrows(SecAggAbortedException.class, h::stage2);
    assertTrue(e.getMessage().contains("only 5 clients sent masked inputs, below the threshold 6"), e.getMessage());
    assertNull(h.unmaskRequest); // nobody is asked to reveal anything
    assertEquals(Stage.ABORTED, h.server.stage());
    assertThrows(ProtocolViolationException.class, h.server::finish);
  }

  @Test
  void finish_tooFewUnmaskers_abortsWithoutOutput() {
    SecAggConfig c = classic(10, 8); // t = 6
    SecAggHarness h = new SecAggHarness(c, 7).drop(Stage.UNMASK, 0, 1, 2, 3, 4);
    SecAggAbortedException e = assertThrows(SecAggAbortedException.class, h::run);
    assertTrue(e.getMessage().contains("below the threshold 6"), e.getMessage());
    assertEquals(Stage.ABORTED, h.server.stage());
  }

  @Test
  void closeAdvertising_fewerAdvertisersThanThreshold_aborts() {
    SecAggHarness h = new SecAggHarness(classic(6, 4), 8).drop(Stage.ADVERTISE_KEYS, 0, 1, 2); // t = 4
    assertThrows(SecAggAbortedException.class, h::stage0);
  }

  @Test
  void closeMasking_neighbourhoodTooThin_abortsBeforeReveal() {
    // SecAgg+ with k = 4, t = 3: drop all but one neighbour of client 0 after sharing.
    SecAggConfig c = plus(12, 4, 5);
    SecAggHarness h = new SecAggHarness(c, 9);
    h.stage0(); // the graph is seeded from the advertisements
    int[] nb = h.graph.neighbours(0);
    h.drop(Stage.MASKED_INPUT, nb[0], nb[1], nb[2]);
    h.stage1();
    SecAggAbortedException e = assertThrows(SecAggAbortedException.class, h::stage2);
    assertTrue(e.getMessage().contains("can reach only"), e.getMessage());
    assertNull(h.unmaskRequest);
  }

  @Test
  void server_receivedMessages_neverContainAnUnmaskedInput() {
    SecAggHarness h = new SecAggHarness(plus(20, 6, 256), 10).drop(Stage.MASKED_INPUT, 4, 13);
    SecAggResult r = h.run();
    assertArrayEquals(h.expectedSum(r.survivors()), r.sum());
    // 1. Every masked input differs from its client's input in essentially every coordinate.
    for (MaskedInput y : h.receivedMasked) {
      int[] x = h.inputs[y.clientId()];
      int equal = 0;
      for (int j = 0; j < x.length; j++) {
        equal += y.values()[j] == x[j] ? 1 : 0;
      }
      assertTrue(equal <= 2, "client " + y.clientId() + " masked input equals its input in " + equal + " places");
    }
    // 2. No raw input appears anywhere in the bytes the server received (as a 16-byte window).
    for (int[] x : h.inputs) {
      byte[] needle = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN)
          .putInt(x[0]).putInt(x[1]).putInt(x[2]).putInt(x[3]).array();
      for (byte[] msg : h.allBytesToServer) {
        assertTrue(indexOf(msg, needle) < 0, "a raw input appears in a message to the server");
      }
    }
    // 3. For no client did the server receive both kinds of share.
    java.util.Map<Integer, java.util.Set<ShareKind>> kinds = new java.util.HashMap<>();
    for (UnmaskingShares u : h.receivedUnmasking) {
      for (RevealedShare s : u.shares()) {
        kinds.computeIfAbsent(s.ownerId(), k -> new java.util.HashSet<>()).add(s.kind());
      }
    }
    kinds.forEach((owner, ks) -> assertEquals(1, ks.size(), "both secrets of client " + owner + " were revealed"));
  }

  @Test
  void server_withEverythingItLearned_cannotRemoveASurvivorsMask() {
    // Everything the server can reconstruct — b_v of survivors, s_v^SK of dropped clients —
    // strips self masks and masks shared with dropped clients, but each survivor with a
    // surviving neighbour keeps pairwise masks the server cannot compute.
    SecAggHarness h = new SecAggHarness(plus(14, 4, 64), 11).drop(Stage.MASKED_INPUT, 6);
    SecAggResult r = h.run();
    assertArrayEquals(h.expectedSum(r.survivors()), r.sum());
    ServerKnowledge k = new ServerKnowledge(h);
    for (MaskedInput y : h.receivedMasked) {
      int[] best = k.strippedAsFarAsPossible(y);
      int equal = 0;
      for (int j = 0; j < best.length; j++) {
        equal += best[j] == h.inputs[y.clientId()][j] ? 1 : 0;
      }
      assertTrue(equal <= 2, "server recovered client " + y.clientId() + "'s input in " + equal + " places");
    }
    // Sanity check of the adversary: with one more secret (the survivor's own s^SK) it would succeed,
    // which shows the stripping code is a real attack and only the missing key stops it.
    assertTrue(k.attackSucceedsWithOwnMaskingKey(h.receivedMasked.get(0)));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Tag("slow")
  @Test
  void run_largeSecAggPlusRound_withTenPercentDropout_returnsSum() {
    SecAggConfig c = plus(300, 16, 2000);
    SecAggHarness h = new SecAggHarness(c, 12).dropRandomly(0.1, new Random(5));
    SecAggResult r = h.run();
    assertArrayEquals(h.expectedSum(r.survivors()), r.sum());
  }

  @Tag("slow")
  @Test
  void run_randomDropoutsOverManyMoreSeeds_correctOrCleanAbort() {
    Random rnd = new Random(99);
    for (int trial = 0; trial < 150; trial++) {
      int n = 3 + rnd.nextInt(40);
      int k = n - 1;
      if (n > 6 && rnd.nextBoolean()) {
        k = 2 + 2 * rnd.nextInt((n - 3) / 2);
      }
      SecAggConfig c = SecAggConfig.builder(n, 1 + rnd.nextInt(20)).neighbours(k).modulusBits(1 + rnd.nextInt(32))
          .roundId(trial).build();
      SecAggHarness h = new SecAggHarness(c, trial).dropRandomly(0.4 * rnd.nextDouble(), rnd);
      try {
        SecAggResult r = h.run();
        assertArrayEquals(h.expectedSum(r.survivors()), r.sum(), "trial " + trial + " " + c + " drops "
            + Arrays.toString(h.dropAt));
      } catch (SecAggAbortedException e) {
        assertEquals(Stage.ABORTED, h.server.stage());
      }
    }
  }

  @Test
  void keysFor_secAggPlus_relaysOnlyTheClientAndItsAdvertisedNeighbours() {
    SecAggConfig config = SecAggConfig.builder(40, 8).roundId(3).neighbours(6).build();
    SecAggHarness h = new SecAggHarness(config, 5).drop(Stage.ADVERTISE_KEYS, 1);
    h.stage0();
    for (int u = 0; u < 40; u++) {
      if (u == 1) {
        continue;
      }
      java.util.Set<Integer> expected = new java.util.TreeSet<>();
      expected.add(u);
      for (int v : h.graph.neighbours(u)) {
        if (v != 1) {
          expected.add(v);
        }
      }
      java.util.Set<Integer> relayed = new java.util.TreeSet<>();
      h.server.keysFor(u).advertisements().forEach(a -> relayed.add(a.clientId()));
      assertEquals(expected, relayed, "client " + u + ": itself and its neighbours that advertised, nothing else");
    }
  }
}
