package org.hedgerow.aggregation.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ParameterCodecTest {
  @Test
  void decode_encoded_roundTripsBitExactly() {
    float[] v = {0f, -0f, 1.5f, Float.MIN_VALUE, -Float.MAX_VALUE, 3.14159f};
    assertArrayEquals(v, ParameterCodec.decode(ParameterCodec.encode(v), v.length));
  }

  @Test
  void decode_wrongLength_namesExpectedAndReceived() {
    var e = assertThrows(ParameterCodec.InvalidVectorException.class,
        () -> ParameterCodec.decode(new byte[10], 3));
    assertTrue(e.getMessage().contains("expected 3 float32 values (12 bytes), received 10 bytes"), e.getMessage());
  }

  @Test
  void decode_nan_rejectedNamingTheEntry() {
    var e = assertThrows(ParameterCodec.InvalidVectorException.class,
        () -> ParameterCodec.decode(ParameterCodec.encode(new float[] {1, Float.NaN}), 2));
    assertTrue(e.getMessage().contains("entry 1 is NaN"), e.getMessage());
  }

  @Test
  void decode_infinity_rejected() {
    assertThrows(ParameterCodec.InvalidVectorException.class,
        () -> ParameterCodec.decode(ParameterCodec.encode(new float[] {Float.NEGATIVE_INFINITY}), 1));
  }

  @Test
  void check_nonFiniteOrWrongLength_refusedAsDecodeRefusesAndFiniteDecodedIntoGivenArray() {
    float[] ok = {0f, -0f, Float.MIN_VALUE, -Float.MAX_VALUE, Float.MAX_VALUE, 1.5f};
    byte[] bytes = ParameterCodec.encode(ok);
    ParameterCodec.check(bytes, ok.length);
    float[] into = new float[ok.length];
    ParameterCodec.decodeInto(bytes, into);
    assertArrayEquals(ok, into);
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.intBitsToFloat(0x7fc00001)}) {
      float[] v = ok.clone();
      v[4] = bad;
      byte[] b = ParameterCodec.encode(v);
      ParameterCodec.InvalidVectorException e = assertThrows(ParameterCodec.InvalidVectorException.class,
          () -> ParameterCodec.check(b, v.length));
      assertTrue(e.getMessage().startsWith("entry 4 is " + bad), e.getMessage());
    }
    assertThrows(ParameterCodec.InvalidVectorException.class, () -> ParameterCodec.check(bytes, ok.length + 1));
  }

  @Test
  void check_randomBitPatternsAtEveryPositionOfOddAndEvenLengths_agreesWithEntryByEntryTest() {
    java.util.Random random = new java.util.Random(20261206);
    float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7f800001),
        Float.intBitsToFloat(0xffffffff), Float.intBitsToFloat(0xffc00000)};
    float[] finiteEdges = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_NORMAL, 0f, -0f,
        Float.intBitsToFloat(0x7f7fffff), Float.intBitsToFloat(0xff7fffff), Float.intBitsToFloat(0x007fffff)};
    for (int length : new int[] {1, 2, 3, 8, 9}) {
      for (int at = 0; at < length; at++) {
        for (float special : specials) {
          float[] v = new float[length];
          for (int i = 0; i < length; i++) {
            v[i] = finiteEdges[random.nextInt(finiteEdges.length)];
          }
          ParameterCodec.check(ParameterCodec.encode(v), length); // all finite: accepted
          v[at] = special;
          byte[] bytes = ParameterCodec.encode(v);
          var e = assertThrows(ParameterCodec.InvalidVectorException.class, () -> ParameterCodec.check(bytes, length),
              "length " + length + ", entry " + at + " = " + Integer.toHexString(Float.floatToRawIntBits(special)));
          assertTrue(e.getMessage().startsWith("entry " + at + " is "), e.getMessage());
        }
      }
    }
    for (int trial = 0; trial < 2000; trial++) {
      int length = 1 + random.nextInt(12);
      byte[] bytes = new byte[length * Float.BYTES];
      random.nextBytes(bytes);
      int firstNonFinite = -1;
      for (int i = 0; i < length && firstNonFinite < 0; i++) {
        int bits = java.nio.ByteBuffer.wrap(bytes, i * 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        if (!Float.isFinite(Float.intBitsToFloat(bits))) {
          firstNonFinite = i;
        }
      }
      if (firstNonFinite < 0) {
        ParameterCodec.check(bytes, length);
      } else {
        int expected = firstNonFinite;
        var e = assertThrows(ParameterCodec.InvalidVectorException.class, () -> ParameterCodec.check(bytes, length));
        assertTrue(e.getMessage().startsWith("entry " + expected + " is "), e.getMessage());
      }
    }
  }
}
