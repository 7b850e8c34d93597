package org.hedgerow.aggregation.secagg;

import java.util.Arrays;

/**
 * Stage 2, client → server: {@code y_u = x_u + PRG(b_u) + Σ_v ±PRG(s_uv) mod 2^32}. To anyone
 * without b_u and all of u's pairwise seeds this is uniformly distributed, independent of x_u.
 *
 * <p>Encoding: header, {@code clientId (4) | dimension (4) | dimension × int32}. A final class
 * rather than a record so that a multi-megabyte vector is not copied on every access.
 */
public final class MaskedInput implements SecAggMessage {
  private final long roundId;
  private final int clientId;
  private final int[] values;

  public MaskedInput(long roundId, int clientId, int[] values) {
    this(roundId, clientId, copy(values), false);
  }

  /** Takes {@code values} without copying; {@code owned} only tells this signature apart from the public one. */
  private MaskedInput(long roundId, int clientId, int[] values, boolean owned) {
    if (clientId < 0) {
      throw new MalformedMessageException("clientId must be >= 0. Provided value: " + clientId);
    }
    this.roundId = roundId;
    this.clientId = clientId;
    this.values = values;
  }

  private static int[] copy(int[] v) {
    if (v == null) {
      throw new MalformedMessageException("values must not be null");
    }
    return v.clone();
  }

  /** Wraps an array the caller hands over (no copy); for the client, which never touches it again. */
  static MaskedInput owning(long roundId, int clientId, int[] values) {
    return new MaskedInput(roundId, clientId, values, true);
  }

  @Override
  public long roundId() {
    return roundId;
  }

  public int clientId() {
    return clientId;
  }

  public int dimension() {
    return values.length;
  }

  /** A copy of the masked vector. */
  public int[] values() {
    return values.clone();
  }

  int[] valuesView() {
    return values;
  }

  @Override
  public byte[] toBytes() {
    MessageWriter w = new MessageWriter(MessageType.MASKED_INPUT, roundId, 8 + 4L * values.length);
    return w.i32(clientId).i32(values.length).ints(values).finish();
  }

  /** @throws MalformedMessageException if the bytes are not well formed */
  public static MaskedInput fromBytes(byte[] bytes) {
    MessageReader r = new MessageReader(bytes, MessageType.MASKED_INPUT);
    int id = r.i32();
    int dim = r.count(Integer.BYTES, "coordinate");
    int[] v = r.ints(dim, "coordinates");
    r.finish();
    return new MaskedInput(r.roundId(), id, v, true);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MaskedInput m && m.roundId == roundId && m.clientId == clientId && Arrays.equals(m.values, values);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(roundId) * 31 + clientId;
  }

  @Override
  public String toString() {
    return "MaskedInput[round=" + roundId + ", client=" + clientId + ", dimension=" + values.length + "]";
  }
}
