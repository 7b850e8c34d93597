package org.hedgerow.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecAggConfigTest {
  @Test
  void build_defaults_classicWithMajorityThreshold() {
    SecAggConfig c = SecAggConfig.builder(10, 5).build();
    assertEquals(9, c.neighbours());
    assertEquals(6, c.threshold()); // ceil(9/2) + 1
    assertEquals(32, c.modulusBits());
    assertTrue(c.isClassic());
    assertEquals(11, SecAggConfig.builder(1000, 1).neighbours(20).build().threshold());
    assertEquals(2, SecAggConfig.builder(3, 1).build().threshold());
  }

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void build_invalidParameters_throwWithClearMessages() {
    assertTrue(message(() -> SecAggConfig.builder(2, 5).build()).startsWith("numClients must be >= 3"));
    assertTrue(message(() -> SecAggConfig.builder(10, 0).build()).startsWith("dimension must be in"));
    assertTrue(message(() -> SecAggConfig.builder(10, 5).neighbours(10).build()).startsWith("neighbours must be in"));
    assertTrue(message(() -> SecAggConfig.builder(11, 5).neighbours(5).build()).startsWith("neighbours must be even"));
    assertTrue(message(() -> SecAggConfig.builder(10, 5).neighbours(8).threshold(4).build())
        .startsWith("threshold must be in (neighbours/2, neighbours] = (4.0, 8]. Provided value: 4"));
    assertTrue(message(() -> SecAggConfig.builder(10, 5).neighbours(8).threshold(9).build()).startsWith("threshold"));
    assertTrue(message(() -> SecAggConfig.builder(10, 5).modulusBits(33).build()).startsWith("modulusBits"));
    assertTrue(message(() -> SecAggConfig.builder(10, 5).graphSeed(new byte[3]).build()).startsWith("graphSeed"));
  }
}
