package org.hedgerow.coordinator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hedgerow.aggregation.strategy.ClientUpdate;
import org.hedgerow.aggregation.strategy.RunningAggregate;
import org.hedgerow.aggregation.strategy.Strategy;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.coordinator.store.UpdateBodies;
import org.hedgerow.coordinator.store.UpdateBodiesAhead;

/**
 * The open round's accepted updates, without holding them: for a rule with a running aggregate
 * (FedAvg, server optimisers, central DP) each update is added to one running sum as soon as every
 * client before it in id order has either sent its update or can no longer send one, so the sum is
 * the one {@code aggregateFit} computes, whatever the arrival order. Each body is decoded into one
 * reused array just before it is added, so ingest allocates no vector. An update that arrives ahead
 * of its turn keeps its received body while the held bodies stay within a byte budget (by default
 * {@value #DEFAULT_MAX_HELD_BYTES} bytes: all of a 100-client round of 1 MiB updates, so a typical
 * round never touches the disk twice), else is read back from the store's body file when its turn comes —
 * off the event loop, a few bodies ahead of their turn, when an {@link UpdateBodiesAhead} is given. At the close the clients that never sent anything are skipped and
 * the rest added in order. Rules that need every update at once (median, trimmed mean) read them
 * all back at the close. Without a body store (a federation used on its own, in tests) the raw
 * bodies are kept in memory instead.
 */
final class RoundUpdates {
  /**
   * Bytes of out-of-turn bodies held in memory before the rest are re-read, unless the system property
   * {@value #MAX_HELD_PROPERTY} says otherwise (an operator with heap to spare can hold a whole large
   * round and never re-read; docs/operations.md). Re-reading costs a disk read per body (off the event
   * loop, see {@link UpdateBodiesAhead}) and delays the close of a round that arrived far from client-id
   * order; 128 MiB bounds what a round can pin whatever its size.
   */
  static final long DEFAULT_MAX_HELD_BYTES = 128L << 20;
  static final String MAX_HELD_PROPERTY = "hedgerow.coordinator.maxHeldBodyBytes";

  /**
   * The held-bytes budget {@code property} (the system property's value, or null) asks for.
   *
   * @throws IllegalArgumentException naming the property if it is not a whole number of bytes, 0 or more
   */
  static long maxHeldBytes(String property) {
    if (property == null) {
      return DEFAULT_MAX_HELD_BYTES;
    }
    try {
      long v = Long.parseLong(property.trim());
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException(MAX_HELD_PROPERTY + " must be a whole number of bytes, 0 or more. Provided value: "
        + property);
  }

  /** Bodies read back ahead of their turn at most at once (in flight or read and not yet summed). */
  static final int READ_AHEAD = 8;

  private final int round;
  private final float[] current;
  private final Strategy strategy;
  private final int dimension;
  private final UpdateBodies bodies;
  private final UpdateBodiesAhead ahead;
  /** Out-of-turn clients whose body is being read ahead. */
  private final Set<String> readingAhead = new HashSet<>();
  /** Out-of-turn clients whose body was read ahead and is held, outside the budget, until summed. */
  private final Set<String> heldAfterReadAhead = new HashSet<>();
  /** Out-of-turn clients whose read-ahead failed: read in place when their turn comes. */
  private final Set<String> readInPlace = new HashSet<>();
  /** Accepted updates' example counts, by client id. */
  private final TreeMap<String, Long> accepted = new TreeMap<>();
  /** Raw bodies, kept only without a body store. */
  private final Map<String, byte[]> kept = new HashMap<>();
  private RunningAggregate running;
  /** Clients whose update the running sum may still have to wait for, in id order. */
  private final NavigableSet<String> waiting;
  /** Accepted but not yet summed, in id order: the received body, or null to read it back. */
  private final TreeMap<String, byte[]> outOfTurn = new TreeMap<>();
  /** The one array bodies are decoded into before they are added. */
  private float[] scratch;
  private final long maxHeldBytes;
  private long heldBytes;
  private boolean finished;

  /**
   * @param asked the clients asked for an update this round
   * @param bodies reads accepted bodies back, or null to keep them in memory
   */
  RoundUpdates(int round, float[] current, Strategy strategy, int dimension, java.util.Collection<String> asked,
      UpdateBodies bodies) {
    this(round, current, strategy, dimension, asked, bodies, null, DEFAULT_MAX_HELD_BYTES);
  }

  /**
   * As above, reading bodies back ahead of their turn with {@code ahead} (null: in place, when needed)
   * and holding at most {@code maxHeldBytes} of out-of-turn bodies.
   */
  RoundUpdates(int round, float[] current, Strategy strategy, int dimension, java.util.Collection<String> asked,
      UpdateBodies bodies, UpdateBodiesAhead ahead, long maxHeldBytes) {
    this.maxHeldBytes = maxHeldBytes;
    this.ahead = bodies == null ? null : ahead;
    this.round = round;
    this.current = current;
    this.strategy = strategy;
    this.dimension = dimension;
    this.bodies = bodies;
    this.running = strategy.runningAggregate(round, current).orElse(null);
    this.waiting = new TreeSet<>(asked);
  }

  /** No round open. */
  static RoundUpdates none(Strategy strategy, int dimension) {
    return new RoundUpdates(0, new float[0], strategy, dimension, List.of(), null);
  }

  int size() {
    return accepted.size();
  }

  boolean isEmpty() {
    return accepted.isEmpty();
  }

  boolean contains(String clientId) {
    return accepted.containsKey(clientId);
  }

  /** Σ examples over the accepted updates. */
  long examples() {
    long n = 0;
    for (long e : accepted.values()) {
      n += e;
    }
    return n;
  }

  /**
   * An update is durable and counts.
   *
   * @param body its bytes, already checked ({@code ParameterCodec.check}), or null to read them back from
   *     the body store when needed (a resumed round)
   */
  void accept(String clientId, long examples, byte[] body) {
    if (accepted.containsKey(clientId)) {
      throw new IllegalStateException("an update of '" + clientId + "' already counts in round " + round);
    }
    accepted.put(clientId, examples);
    if (bodies == null) {
      kept.put(clientId, body);
    }
    if (running == null) {
      return; // read back at the close
    }
    if (clientId.equals(next())) {
      add(clientId, body);
      drain();
    } else {
      boolean hold = body != null && heldBytes + body.length <= maxHeldBytes;
      heldBytes += hold ? body.length : 0;
      outOfTurn.put(clientId, hold ? body : null);
      if (!hold) {
        readAhead();
      }
    }
  }

  /** {@code clientId} will send nothing this round (it declined): the sum stops waiting for it. */
  void withdraw(String clientId) {
    if (waiting.remove(clientId)) {
      drain();
    }
  }

  private String next() {
    return waiting.isEmpty() ? null : waiting.first();
  }

  private void drain() {
    for (String id = next(); id != null && outOfTurn.containsKey(id); id = next()) {
      byte[] body = outOfTurn.get(id);
      if (body == null && ahead != null && !readInPlace.contains(id)) {
        break; // being read ahead: summed when it arrives
      }
      outOfTurn.remove(id);
      if (!heldAfterReadAhead.remove(id)) {
        heldBytes -= body != null ? body.length : 0;
      }
      readInPlace.remove(id);
      add(id, body);
    }
    readAhead();
  }

  /**
   * Starts reading the soonest-needed bodies that are not in memory, at most {@link #READ_AHEAD} at once
   * besides the very first (always read, so bodies read ahead for later clients never stall the sum).
   */
  private void readAhead() {
    if (ahead == null || finished) {
      return;
    }
    List<String> start = new ArrayList<>();
    boolean first = true;
    for (Map.Entry<String, byte[]> e : outOfTurn.entrySet()) {
      String id = e.getKey();
      if (e.getValue() != null || readInPlace.contains(id)) {
        continue;
      }
      if (!first && readingAhead.size() + heldAfterReadAhead.size() >= READ_AHEAD) {
        break;
      }
      first = false;
      if (readingAhead.add(id)) {
        start.add(id);
      }
    }
    for (String id : start) { // after the loop: a reader may answer at once, and its answer changes outOfTurn
      ahead.read(round, id, (body, failure) -> {
        readingAhead.remove(id);
        if (finished || !outOfTurn.containsKey(id) || outOfTurn.get(id) != null) {
          return; // summed meanwhile (at the close), or the round is over
        }
        if (failure != null || body == null) {
          readInPlace.add(id); // read again in place, where a failure is reported as before
        } else {
          outOfTurn.put(id, body);
          heldAfterReadAhead.add(id);
        }
        drain();
      });
    }
  }

  private void add(String clientId, byte[] body) {
    waiting.remove(clientId);
    if (scratch == null) {
      scratch = new float[dimension];
    }
    ParameterCodec.decodeInto(body != null ? body : read(clientId), scratch);
    running.add(new ClientUpdate(clientId, accepted.get(clientId), scratch));
  }

  private byte[] read(String clientId) {
    return bodies != null ? bodies.read(round, clientId) : kept.get(clientId);
  }

  /** A body read back and checked again (it left this process's memory). */
  private float[] decoded(String clientId) {
    return ParameterCodec.decode(read(clientId), dimension);
  }

  /**
   * The next model from the accepted updates: the running sum completed (clients still awaited are
   * skipped), or every update read back for a rule that needs them all. If an earlier attempt
   * failed after the running sum was consumed, the sum is rebuilt from the bodies.
   */
  float[] aggregate() {
    if (accepted.isEmpty()) {
      throw new IllegalStateException("round " + round + " has no update to aggregate");
    }
    if (running == null) {
      List<ClientUpdate> all = new ArrayList<>(accepted.size());
      accepted.forEach((id, examples) -> all.add(new ClientUpdate(id, examples, decoded(id))));
      return strategy.aggregateFit(round, current, all);
    }
    if (finished) {
      running = strategy.runningAggregate(round, current).orElseThrow();
      accepted.forEach((id, examples) -> running.add(new ClientUpdate(id, examples, decoded(id))));
    } else {
      waiting.clear();
      for (Map.Entry<String, byte[]> e : outOfTurn.entrySet()) {
        add(e.getKey(), e.getValue());
      }
      outOfTurn.clear();
      heldBytes = 0;
      heldAfterReadAhead.clear();
      readInPlace.clear();
    }
    finished = true;
    return running.finish();
  }

  /** Out-of-turn updates waiting for an earlier client (for tests and metrics). */
  int waitingToBeSummed() {
    return outOfTurn.size();
  }

  /** True if this round sums as updates come (false: every update is read back at the close). */
  boolean streams() {
    return running != null;
  }
}
