package org.hedgerow.privacy.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RdpOrdersTest {

  /** Opacus: [1 + x / 10.0 for x in range(1, 100)] + list(range(12, 64)). */
  @Test
  void opacus_matchesOpacusDefaultAlphas() {
    double[] o = RdpOrders.OPACUS.values();
    assertEquals(151, o.length);
    assertEquals(1.1, o[0]);
    assertEquals(3.9, o[28]);
    assertEquals(10.9, o[98]);
    assertEquals(12.0, o[99]);
    assertEquals(63.0, o[150]);
  }

  /** TF Privacy: [1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5] + range(5, 64) + [128, 256, 512]. */
  @Test
  void tfPrivacy_matchesTfPrivacyOrders() {
    double[] o = RdpOrders.TF_PRIVACY.values();
    assertEquals(72, o.length);
    assertEquals(1.25, o[0]);
    assertEquals(4.5, o[9]);
    assertEquals(5.0, o[10]);
    assertEquals(63.0, o[68]);
    assertEquals(512.0, o[71]);
  }

  @ParameterizedTest
  @ValueSource(doubles = {1.0, 0.0, -3.0, Double.NaN, Double.POSITIVE_INFINITY})
  void of_orderNotAboveOne_throws(double bad) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RdpOrders.of(2.0, bad));
    assertEquals("order must be > 1 and finite. Provided value: " + bad, e.getMessage());
  }

  @Test
  void of_empty_throws() {
    assertThrows(IllegalArgumentException.class, RdpOrders::of);
  }
}
