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
}
