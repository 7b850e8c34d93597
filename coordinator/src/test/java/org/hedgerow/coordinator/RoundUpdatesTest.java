package org.hedgerow.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.hedgerow.aggregation.strategy.ClientUpdate;
import org.hedgerow.aggregation.strategy.FedAvg;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.aggregation.strategy.Strategy;
import org.hedgerow.aggregation.strategy.TrimmedMean;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.coordinator.store.UpdateBodies;
import org.hedgerow.coordinator.store.UpdateBodiesAhead;
import org.junit.jupiter.api.Test;

/**
 * A round summed as its updates arrive gives bit for bit what {@code aggregateFit} gives for the
 * same updates, whatever the arrival order, with clients that never send and clients that decline;
 * out-of-turn updates beyond the held-bytes budget are read back rather than held; a body
 * passed as null (a resumed round) is read back.
 * Deterministic (fixed seeds).
 */
class RoundUpdatesTest {
  private static final int DIM = 513;
  private static final FitConfig FIT = new FitConfig(1, 8, 1);

  /** Bodies in a map, counting reads: stands in for the store's body files. */
  private static final class MapBodiesFake implements UpdateBodies {
    final Map<String, byte[]> bodies = new HashMap<>();
    int reads;

    @Override
    public byte[] read(int round, String clientId) {
      reads++;
      return bodies.get(clientId);
    }
  }

  private static ClientUpdate update(String id, Random r) {
    float[] d = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      d[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
    }
    return new ClientUpdate(id, 1 + r.nextInt(1000), d);
  }

  private static float[] model() {
    float[] m = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      m[i] = (float) Math.cos(i);
    }
    return m;
  }

  @Test
  void aggregate_anyArrivalOrderWithGapsAndDeclines_bitIdenticalToAggregateFit() {
    for (long seed = 1; seed <= 6; seed++) {
      Random r = new Random(seed);
      List<String> asked = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        asked.add(String.format("silo-%03d", i));
      }
      List<ClientUpdate> sent = new ArrayList<>();
      List<String> decliners = new ArrayList<>();
      for (String id : asked) {
        int fate = r.nextInt(10);
        if (fate == 0) {
          decliners.add(id);
        } else if (fate > 1) { // fate 1: never sends anything
          sent.add(update(id, r));
        }
      }
      Collections.shuffle(sent, r);
      for (Strategy strategy : List.<Strategy>of(new FedAvg(FIT), new TrimmedMean(FIT, 0.1))) {
        MapBodiesFake bodies = new MapBodiesFake();
        RoundUpdates round = new RoundUpdates(1, model(), strategy, DIM, asked, bodies);
        int d = 0;
        for (int k = 0; k < sent.size(); k++) {
          ClientUpdate u = sent.get(k);
          bodies.bodies.put(u.clientId(), ParameterCodec.encode(u.delta()));
          round.accept(u.clientId(), u.examples(), k % 4 == 0 ? null : ParameterCodec.encode(u.delta()));
          if (k % 9 == 0 && d < decliners.size()) {
            round.withdraw(decliners.get(d++));
          }
        }
        float[] expected = strategy.aggregateFit(1, model(), sent);
        assertArrayEquals(expected, round.aggregate(), strategy + " seed " + seed);
        assertArrayEquals(expected, round.aggregate(), "a second attempt rebuilds the same sum: " + strategy);
      }
    }
  }

  @Test
  void accept_reverseOrderBeyondBudget_holdsWithinBudgetAndReadsTheRestBack() {
    Random r = new Random(3);
    List<String> asked = new ArrayList<>();
    List<ClientUpdate> sent = new ArrayList<>();
    int maxHeld = 16;
    int n = maxHeld + 20;
    for (int i = 0; i < n; i++) {
      asked.add(String.format("c%03d", i));
      sent.add(update(asked.get(i), r));
    }
    MapBodiesFake bodies = new MapBodiesFake();
    long budget = (long) maxHeld * ParameterCodec.encode(sent.get(0).delta()).length;
    RoundUpdates round = new RoundUpdates(1, model(), new FedAvg(FIT), DIM, asked, bodies, null, budget);
    assertTrue(round.streams());
    for (int k = n - 1; k >= 0; k--) {
      ClientUpdate u = sent.get(k);
      bodies.bodies.put(u.clientId(), ParameterCodec.encode(u.delta()));
      round.accept(u.clientId(), u.examples(), ParameterCodec.encode(u.delta()));
      assertEquals(k == 0 ? 0 : n - k, round.waitingToBeSummed());
    }
    assertEquals(n - 1 - maxHeld, bodies.reads, "beyond the byte budget, out-of-turn updates are re-read");
    assertArrayEquals(new FedAvg(FIT).aggregateFit(1, model(), sent), round.aggregate());
  }

  /**
   * Reads ahead that answer later, in an order of the test's choosing: stands in for the event loop
   * and its worker threads. A read of {@code failing} fails.
   */
  private static final class DeferredReadsFake implements UpdateBodiesAhead {
    final MapBodiesFake store;
    final List<Runnable> pending = new ArrayList<>();
    final String failing;
    int started;

    DeferredReadsFake(MapBodiesFake store, String failing) {
      this.store = store;
      this.failing = failing;
    }

    @Override
    public void read(int round, String clientId, java.util.function.BiConsumer<byte[], Throwable> done) {
      started++;
      pending.add(() -> {
        if (clientId.equals(failing)) {
          done.accept(null, new IllegalStateException("disk said no"));
        } else {
          done.accept(store.read(round, clientId), null);
        }
      });
    }

    /** Answers one pending read, chosen by {@code r}; false if none was pending. */
    boolean answerOne(Random r) {
      if (pending.isEmpty()) {
        return false;
      }
      pending.remove(r.nextInt(pending.size())).run();
      return true;
    }
  }

  @Test
  void accept_shuffledBeyondBudgetWithReadsAheadAnsweringOutOfOrder_bitIdenticalAndBoundedInFlight() {
    for (long seed = 1; seed <= 5; seed++) {
      Random r = new Random(seed);
      List<String> asked = new ArrayList<>();
      List<ClientUpdate> sent = new ArrayList<>();
      for (int i = 0; i < 80; i++) {
        asked.add(String.format("c%03d", i));
        if (i % 11 != 5) { // a few never send
          sent.add(update(asked.get(i), r));
        }
      }
      Collections.shuffle(sent, r);
      MapBodiesFake bodies = new MapBodiesFake();
      DeferredReadsFake ahead = new DeferredReadsFake(bodies, seed == 3 ? sent.get(7).clientId() : null);
      long budget = 4L * DIM * Float.BYTES; // four bodies held, the rest read back
      RoundUpdates round = new RoundUpdates(1, model(), new FedAvg(FIT), DIM, asked, bodies, ahead, budget);
      for (ClientUpdate u : sent) {
        bodies.bodies.put(u.clientId(), ParameterCodec.encode(u.delta()));
        round.accept(u.clientId(), u.examples(), ParameterCodec.encode(u.delta()));
        assertTrue(ahead.pending.size() <= RoundUpdates.READ_AHEAD + 1, "reads in flight: " + ahead.pending.size());
        if (r.nextBoolean()) {
          ahead.answerOne(r);
        }
      }
      while (r.nextInt(4) != 0 && ahead.answerOne(r)) {
        // some reads still pending at the close: the close reads in place and ignores their late answers
      }
      assertTrue(ahead.started > 0, "bodies beyond the budget were read ahead");
      float[] expected = new FedAvg(FIT).aggregateFit(1, model(), sent);
      assertArrayEquals(expected, round.aggregate(), "seed " + seed);
      while (ahead.answerOne(r)) {
        // late answers after the close change nothing
      }
      assertArrayEquals(expected, round.aggregate(), "seed " + seed);
    }
  }

  @Test
  void accept_inTurnOrderAfterReadsAhead_sumsWithoutWaitingForTheClose() {
    Random r = new Random(9);
    List<String> asked = List.of("a", "b", "c", "d");
    List<ClientUpdate> sent = new ArrayList<>();
    for (String id : asked) {
      sent.add(update(id, r));
    }
    MapBodiesFake bodies = new MapBodiesFake();
    DeferredReadsFake ahead = new DeferredReadsFake(bodies, null);
    RoundUpdates round = new RoundUpdates(1, model(), new FedAvg(FIT), DIM, asked, bodies, ahead, 0);
    for (int k = 3; k >= 1; k--) { // d, c, b: out of turn, none held (budget 0)
      ClientUpdate u = sent.get(k);
      bodies.bodies.put(u.clientId(), ParameterCodec.encode(u.delta()));
      round.accept(u.clientId(), u.examples(), ParameterCodec.encode(u.delta()));
    }
    assertEquals(3, ahead.pending.size());
    round.accept("a", sent.get(0).examples(), ParameterCodec.encode(sent.get(0).delta()));
    assertEquals(3, round.waitingToBeSummed(), "b's body is still being read");
    while (ahead.answerOne(r)) {
      // answers in any order
    }
    assertEquals(0, round.waitingToBeSummed(), "summed as the reads came back, before any close");
    assertArrayEquals(new FedAvg(FIT).aggregateFit(1, model(), sent), round.aggregate());
  }

  @Test
  void maxHeldBytes_propertyUnsetValidOrInvalid_defaultValueOrErrorNamingTheProperty() {
    assertEquals(128L << 20, RoundUpdates.maxHeldBytes(null));
    assertEquals(2_000_000_000L, RoundUpdates.maxHeldBytes(" 2000000000 "));
    for (String bad : new String[] {"-1", "lots", "1e9"}) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> RoundUpdates.maxHeldBytes(bad));
      assertTrue(e.getMessage().contains(RoundUpdates.MAX_HELD_PROPERTY) && e.getMessage().contains(bad), e.getMessage());
    }
  }

  @Test
  void accept_withoutBodyStore_keepsRawBodiesAndSumsAlike() {
    Random r = new Random(5);
    List<ClientUpdate> sent = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      sent.add(update("k" + (char) ('a' + i % 26) + i, r));
    }
    List<String> asked = new ArrayList<>(new TreeSet<>(sent.stream().map(ClientUpdate::clientId).toList()));
    Collections.shuffle(sent, r);
    RoundUpdates round = new RoundUpdates(1, model(), new FedAvg(FIT), DIM, asked, null);
    for (ClientUpdate u : sent) {
      round.accept(u.clientId(), u.examples(), ParameterCodec.encode(u.delta()));
    }
    assertEquals(30, round.size());
    assertFalse(round.isEmpty());
    assertArrayEquals(new FedAvg(FIT).aggregateFit(1, model(), sent), round.aggregate());
  }
}
