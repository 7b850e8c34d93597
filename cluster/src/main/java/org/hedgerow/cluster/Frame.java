package org.hedgerow.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One message of the cluster protocol: a JSON header (what is asked or answered) and a binary
 * payload (parameter vectors, silo data), in one event-bus {@link Buffer}: the header's length
 * (4 bytes, big-endian), the header as UTF-8 JSON, then the payload.
 */
record Frame(JsonObject header, Buffer payload) {
  /** Bound on a header, far above any the protocol sends: a corrupt length fails clearly. */
  static final int MAX_HEADER_BYTES = 1 << 20;

  Frame(JsonObject header) {
    this(header, Buffer.buffer());
  }

  Buffer encode() {
    Buffer h = header.toBuffer();
    return Buffer.buffer(4 + h.length() + payload.length()).appendInt(h.length()).appendBuffer(h).appendBuffer(payload);
  }

  static Frame decode(Buffer b) {
    if (b == null || b.length() < 4) {
      throw new IllegalArgumentException("cluster message too short for a header");
    }
    int n = b.getInt(0);
    if (n < 2 || n > MAX_HEADER_BYTES || 4 + n > b.length()) {
      throw new IllegalArgumentException("cluster message header length " + n + " out of range for "
          + b.length() + " bytes");
    }
    return new Frame(new JsonObject(b.getBuffer(4, 4 + n)), b.getBuffer(4 + n, b.length()));
  }

  /** Floats as big-endian IEEE 754 bits: exact, so a vector arrives bit for bit. */
  static Buffer floats(float[] v) {
    ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.BIG_ENDIAN);
    bb.asFloatBuffer().put(v);
    return Buffer.buffer(bb.array());
  }

  /** {@code count} floats of {@code b} from byte {@code offset}. */
  static float[] floats(Buffer b, int offset, int count) {
    if (offset < 0 || count < 0 || (long) offset + 4L * count > b.length()) {
      throw new IllegalArgumentException("cluster message holds " + b.length() + " payload bytes, not " + count
          + " floats from byte " + offset);
    }
    float[] out = new float[count];
    ByteBuffer.wrap(b.getBytes(offset, offset + 4 * count)).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  /** Byte strings, each preceded by its length (4 bytes, big-endian): one protocol message per silo. */
  static Buffer blobs(java.util.List<byte[]> items) {
    Buffer b = Buffer.buffer();
    for (byte[] x : items) {
      b.appendInt(x.length).appendBytes(x);
    }
    return b;
  }

  /** The byte strings {@link #blobs(java.util.List)} wrote. */
  static java.util.List<byte[]> blobs(Buffer b) {
    java.util.List<byte[]> out = new java.util.ArrayList<>();
    int at = 0;
    while (at < b.length()) {
      if (at + 4 > b.length()) {
        throw new IllegalArgumentException("cluster message: truncated length at byte " + at);
      }
      int n = b.getInt(at);
      if (n < 0 || (long) at + 4 + n > b.length()) {
        throw new IllegalArgumentException("cluster message: item of " + n + " bytes at byte " + at + " overruns "
            + b.length() + " bytes");
      }
      out.add(b.getBytes(at + 4, at + 4 + n));
      at += 4 + n;
    }
    return out;
  }
}
