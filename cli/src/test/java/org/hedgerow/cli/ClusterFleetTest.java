package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.hedgerow.simulations.Scenario;
import org.junit.jupiter.api.Test;

/** What {@code simulate --cluster} refuses before loading any data, and why. */
class ClusterFleetTest {
  private static Scenario secure() {
    var o = new ObjectMapper().createObjectNode();
    o.putObject("secure_aggregation").put("mode", "secagg+");
    return Scenario.bundledDefault().with(o, "test");
  }

  @Test
  void check_secureAggregationWithTwoRegions_refusedNamingTheMinimum() {
    var e = assertThrows(IllegalArgumentException.class, () -> ClusterFleet.check(secure(), 2));
    assertTrue(e.getMessage().contains("--regions >= 3") && e.getMessage().contains("Provided value: 2"),
        e.getMessage());
  }

  @Test
  void check_secureAggregationWithThreeRegions_accepted() {
    assertDoesNotThrow(() -> ClusterFleet.check(secure(), 3));
  }

  @Test
  void check_centralDp_refusedNamingThePrivacyMode() {
    var o = new ObjectMapper().createObjectNode().put("privacy", "central");
    var e = assertThrows(IllegalArgumentException.class,
        () -> ClusterFleet.check(Scenario.bundledDefault().with(o, "test"), 3));
    assertTrue(e.getMessage().contains("privacy 'central'"), e.getMessage());
  }

  @Test
  void check_localDp_accepted() {
    var o = new ObjectMapper().createObjectNode().put("privacy", "local");
    assertDoesNotThrow(() -> ClusterFleet.check(Scenario.bundledDefault().with(o, "test"), 2));
  }

  @Test
  void check_deterministicNoiseWithLocalDp_refusedNamingTheWorkers() {
    var o = new ObjectMapper().createObjectNode().put("privacy", "local").put("deterministic_noise", 5);
    var e = assertThrows(IllegalArgumentException.class,
        () -> ClusterFleet.check(Scenario.bundledDefault().with(o, "test"), 2));
    assertTrue(e.getMessage().contains("--deterministic-noise") && e.getMessage().contains("workers"), e.getMessage());
  }

  @Test
  void check_deterministicNoiseWithoutDpOrSecureAggregation_accepted() {
    var o = new ObjectMapper().createObjectNode().put("deterministic_noise", 5);
    assertDoesNotThrow(() -> ClusterFleet.check(Scenario.bundledDefault().with(o, "test"), 2));
  }
}
