package org.hedgerow.aggregation.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Flat parameter vectors on the wire: little-endian IEEE-754 float32, nothing else. Metadata
 * (model version, example count, spec hash) travels in headers, so the body is exactly
 * {@code 4 × parameterCount} bytes and its length alone proves the dimension.
 */
public final class ParameterCodec {
  private ParameterCodec() {}

  public static byte[] encode(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }

  /**
   * Decodes and validates a vector of {@code expected} entries.
   *
   * @throws InvalidVectorException if the length is wrong or an entry is NaN or infinite
   */
  public static float[] decode(byte[] bytes, int expected) {
    if (bytes.length != (long) expected * Float.BYTES) {
      throw new InvalidVectorException(String.format(
          "expected %d float32 values (%d bytes), received %d bytes", expected, (long) expected * Float.BYTES, bytes.length));
    }
    float[] v = new float[expected];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new InvalidVectorException("entry " + i + " is " + v[i] + ": only finite values are accepted");
      }
    }
    return v;
  }

  /** A vector that cannot be accepted; the message names what was wrong. */
  public static final class InvalidVectorException extends IllegalArgumentException {
    public InvalidVectorException(String message) {
      super(message);
    }
  }
}
