package org.hedgerow.aggregation.secagg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads a message written by {@link MessageWriter}, checking every length before it allocates
 * or reads, so truncated, padded or lying input fails with {@link MalformedMessageException}
 * rather than an out-of-bounds error or a huge allocation.
 */
final class MessageReader {
  private final ByteBuffer buffer;
  private final MessageType type;
  private final long roundId;

  MessageReader(byte[] bytes, MessageType expected) {
    if (bytes == null) {
      throw new MalformedMessageException("message bytes must not be null");
    }
    if (bytes.length < MessageWriter.HEADER_BYTES) {
      throw new MalformedMessageException(String.format(
          "message must be at least %d bytes (header). Provided length: %d", MessageWriter.HEADER_BYTES, bytes.length));
    }
    buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    byte version = buffer.get();
    if (version != MessageWriter.VERSION) {
      throw new MalformedMessageException("unsupported message version " + version + " (expected "
          + MessageWriter.VERSION + ")");
    }
    type = MessageType.of(buffer.get());
    if (expected != null && type != expected) {
      throw new MalformedMessageException("expected a " + expected + " message but got " + type);
    }
    roundId = buffer.getLong();
  }

  static MessageType peekType(byte[] bytes) {
    return new MessageReader(bytes, null).type;
  }

  long roundId() {
    return roundId;
  }

  int u8() {
    need(1, "a byte");
    return buffer.get() & 0xff;
  }

  int i32() {
    need(4, "an int");
    return buffer.getInt();
  }

  byte[] bytes(int n, String what) {
    need(n, what);
    byte[] out = new byte[n];
    buffer.get(out);
    return out;
  }

  int[] ints(int n, String what) {
    need((long) n * Integer.BYTES, what);
    int[] out = new int[n];
    buffer.asIntBuffer().get(out);
    buffer.position(buffer.position() + n * Integer.BYTES);
    return out;
  }

  /** A non-negative element count, checked against the bytes that remain. */
  int count(int elementBytes, String what) {
    int c = i32();
    if (c < 0 || (long) c * elementBytes > buffer.remaining()) {
      throw new MalformedMessageException(String.format(
          "%s count %d does not match the %d bytes that follow", what, c, buffer.remaining()));
    }
    return c;
  }

  void finish() {
    if (buffer.hasRemaining()) {
      throw new MalformedMessageException(buffer.remaining() + " unexpected trailing bytes");
    }
  }

  private void need(long n, String what) {
    if (buffer.remaining() < n) {
      throw new MalformedMessageException(String.format(
          "truncated message: needed %d bytes for %s, %d left", n, what, buffer.remaining()));
    }
  }
}
