package org.hedgerow.aggregation.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Flat parameter vectors on the wire: little-endian IEEE-754 float32, nothing else. Metadata
 * (model version, example count, spec hash) travels in headers, so the body is exactly
 * {@code 4 × parameterCount} bytes and its length alone proves the dimension.
 */
public final class ParameterCodec {
  private static final java.lang.invoke.VarHandle INT_LE =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int EXPONENT = 0x7f800000;

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
    check(bytes, expected);
    float[] v = new float[expected];
    decodeInto(bytes, v);
    return v;
  }

  /**
   * Validates a vector of {@code expected} entries without decoding it (nothing is allocated): the
   * length, and that every entry is finite.
   *
   * @throws InvalidVectorException if the length is wrong or an entry is NaN or infinite
   */
  public static void check(byte[] bytes, int expected) {
    if (bytes.length != (long) expected * Float.BYTES) {
      throw new InvalidVectorException(String.format(
          "expected %d float32 values (%d bytes), received %d bytes", expected, (long) expected * Float.BYTES, bytes.length));
    }
    for (int i = 0; i < expected; i++) {
      int bits = (int) INT_LE.get(bytes, i * Float.BYTES);
      if ((bits & EXPONENT) == EXPONENT) { // all exponent bits set: NaN or ±infinity
        throw new InvalidVectorException("entry " + i + " is " + Float.intBitsToFloat(bits)
            + ": only finite values are accepted");
      }
    }
  }

  /** Decodes {@code bytes} (already {@link #check checked}) into {@code into}, which has its length / 4 entries. */
  public static void decodeInto(byte[] bytes, float[] into) {
    if (bytes.length != (long) into.length * Float.BYTES) {
      throw new InvalidVectorException("expected " + into.length + " float32 values, received " + bytes.length + " bytes");
    }
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(into);
  }

  /** A vector that cannot be accepted; the message names what was wrong. */
  public static final class InvalidVectorException extends IllegalArgumentException {
    public InvalidVectorException(String message) {
      super(message);
    }
  }
}
