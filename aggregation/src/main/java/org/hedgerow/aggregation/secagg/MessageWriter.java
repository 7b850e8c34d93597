package org.hedgerow.aggregation.secagg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes the common header {@code version (1) | type (1) | roundId (8, little-endian)} and then
 * the fields of one message into an exactly sized buffer.
 */
final class MessageWriter {
  /** 2: advertisements carry a self-mask commitment, directories carry credentials, consistency round. */
  static final byte VERSION = 3;
  static final int HEADER_BYTES = 10;

  private final ByteBuffer buffer;

  MessageWriter(MessageType type, long roundId, long bodyBytes) {
    long total = HEADER_BYTES + bodyBytes;
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("message too large to encode: " + total + " bytes");
    }
    buffer = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(VERSION).put(type.tag).putLong(roundId);
  }

  MessageWriter u8(int v) {
    buffer.put((byte) v);
    return this;
  }

  MessageWriter i32(int v) {
    buffer.putInt(v);
    return this;
  }

  MessageWriter bytes(byte[] v) {
    buffer.put(v);
    return this;
  }

  MessageWriter ints(int[] v) {
    buffer.asIntBuffer().put(v);
    buffer.position(buffer.position() + v.length * Integer.BYTES);
    return this;
  }

  byte[] finish() {
    if (buffer.hasRemaining()) {
      throw new IllegalStateException("encoder bug: " + buffer.remaining() + " bytes left unwritten");
    }
    return buffer.array();
  }
}
