package org.hedgerow.aggregation.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSpecTest {
  @Test
  void parameterCount_denseLayers_weightsPlusBiases() {
    ModelSpec s = new ModelSpec("x", List.of(3, 4, 1), "relu", "sigmoid", 0, "binary-cross-entropy", 1e-3);
    assertEquals(3 * 4 + 4 + 4 + 1, s.parameterCount());
    assertEquals(List.of(0, 16, 21), java.util.Arrays.stream(s.layerOffsets()).boxed().toList());
  }

  @Test
  void hash_differentSchemaOrDropout_differs() {
    ModelSpec a = ModelSpec.preferenceMlp("v1", 10);
    assertEquals(a.hash(), ModelSpec.preferenceMlp("v1", 10).hash());
    assertNotEquals(a.hash(), ModelSpec.preferenceMlp("v2", 10).hash());
    assertNotEquals(a.hash(), new ModelSpec("v1", a.layerSizes(), "relu", "sigmoid", 0.2, a.loss(), 1e-3).hash());
  }

  @Test
  void initialParameters_sameSeed_sameVectorAndZeroBiases() {
    ModelSpec s = new ModelSpec("x", List.of(3, 4, 1), "relu", "sigmoid", 0, "binary-cross-entropy", 1e-3);
    float[] p = s.initialParameters(7);
    org.junit.jupiter.api.Assertions.assertArrayEquals(p, s.initialParameters(7));
    for (int i = 12; i < 16; i++) {
      assertEquals(0f, p[i]); // layer 0 biases
    }
  }

  @Test
  void constructor_badDropout_rejectedWithValue() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new ModelSpec("x", List.of(3, 1), "relu", "sigmoid", 1.0, "binary-cross-entropy", 1e-3));
    assertEquals("dropout must be in [0, 1). Provided value: 1.0", e.getMessage());
  }
}
