package org.hedgerow.aggregation.secagg;

import java.util.Arrays;

/**
 * Stage 2 → 3, server → surviving clients: the ids of the clients whose masked inputs the server
 * accepted (U3), sorted. Each receiver reveals, for each neighbour v that shared with it, its
 * share of b_v if v is listed and its share of s_v^SK otherwise.
 *
 * <p>Encoding: header, {@code count (4) | count × clientId (4)}.
 */
public final class UnmaskRequest implements SecAggMessage {
  private final long roundId;
  private final int[] survivors;

  public UnmaskRequest(long roundId, int[] survivors) {
    if (survivors == null) {
      throw new MalformedMessageException("survivors must not be null");
    }
    for (int i = 0; i < survivors.length; i++) {
      if (survivors[i] < 0 || (i > 0 && survivors[i] <= survivors[i - 1])) {
        throw new MalformedMessageException("survivors must be distinct non-negative ids in ascending order");
      }
    }
    this.roundId = roundId;
    this.survivors = survivors.clone();
  }

  @Override
  public long roundId() {
    return roundId;
  }

  public int[] survivors() {
    return survivors.clone();
  }

  public boolean survived(int client) {
    return Arrays.binarySearch(survivors, client) >= 0;
  }

  public int count() {
    return survivors.length;
  }

  @Override
  public byte[] toBytes() {
    MessageWriter w = new MessageWriter(MessageType.UNMASK_REQUEST, roundId, 4 + 4L * survivors.length);
    return w.i32(survivors.length).ints(survivors).finish();
  }

  /** @throws MalformedMessageException if the bytes are not well formed */
  public static UnmaskRequest fromBytes(byte[] bytes) {
    MessageReader r = new MessageReader(bytes, MessageType.UNMASK_REQUEST);
    int count = r.count(Integer.BYTES, "survivor");
    int[] ids = r.ints(count, "survivor ids");
    r.finish();
    return new UnmaskRequest(r.roundId(), ids);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnmaskRequest u && u.roundId == roundId && Arrays.equals(u.survivors, survivors);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(survivors);
  }

  @Override
  public String toString() {
    return "UnmaskRequest[round=" + roundId + ", survivors=" + survivors.length + "]";
  }
}
