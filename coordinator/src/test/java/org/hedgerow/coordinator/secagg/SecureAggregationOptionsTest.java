package org.hedgerow.coordinator.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.hedgerow.aggregation.secagg.SecAggConfig;
import org.junit.jupiter.api.Test;

/** How a session's threshold follows from the options, with and without a Sybil assumption. */
class SecureAggregationOptionsTest {
  private static int threshold(SecureAggregationOptions o, int n) {
    SecAggConfig c = o.configFor(1, n, 16);
    return c.threshold();
  }

  @Test
  void configFor_assumedSybils_thresholdRaisedToMoreThanHalfOfDegreePlusSybils() {
    SecureAggregationOptions secagg = SecureAggregationOptions.of("secagg", 30_000);
    assertEquals(5, threshold(secagg, 9), "default for k = 8: ceil(8/2) + 1");
    // k = 8, S = 2: 2t > 10 needs t = 6 (the boundary MaliciousServerTest's t = 5 / t = 7 pair sits around).
    assertEquals(6, threshold(secagg.withAssumedSybils(2), 9));
    assertEquals(5, threshold(secagg.withAssumedSybils(1), 9), "the default already has 2t = 10 > 9");
    assertEquals(7, threshold(secagg.withGraph(null, 7).withAssumedSybils(2), 9), "a higher configured t stays");
  }

  @Test
  void configFor_tooFewNeighboursForTheAssumption_thresholdCappedAtDegree() {
    // n = 4 (k = 3), S = 3 would need t = 4 > k: the session runs at t = k, and silos assuming 3 refuse it.
    assertEquals(3, threshold(SecureAggregationOptions.of("secagg", 30_000).withAssumedSybils(3), 4));
  }

  @Test
  void options_negativeSybils_refused() {
    assertThrows(IllegalArgumentException.class,
        () -> SecureAggregationOptions.of("secagg", 30_000).withAssumedSybils(-1));
  }
}
