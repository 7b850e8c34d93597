package org.hedgerow.privacy.clipping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class L2ClippingTest {

  @Test
  void clip_normAboveBound_scalesOntoBound() {
    // ‖(6, 8)‖ = 10; C = 5 scales by exactly 1/2.
    assertArrayEquals(new double[] {3, 4}, L2Clipping.clip(new double[] {6, 8}, 5), 0.0);
  }

  @Test
  void clip_normWithinBound_returnsEqualCopy() {
    double[] v = {0.5, -0.25};
    double[] clipped = L2Clipping.clip(v, 1);
    assertArrayEquals(v, clipped, 0.0);
    clipped[0] = 9;
    assertEquals(0.5, v[0], "input untouched");
  }

  @Test
  void clip_normExactlyOnBound_isUnchanged() {
    assertArrayEquals(new double[] {3, 4}, L2Clipping.clip(new double[] {3, 4}, 5), 0.0);
  }

  /** Rounding must never leave a clipped vector above the bound, not even by an ulp. */
  @Test
  void clip_randomVectors_neverExceedBound() {
    Random random = new Random(42);
    for (int t = 0; t < 2000; t++) {
      double[] v = new double[1 + random.nextInt(50)];
      for (int i = 0; i < v.length; i++) {
        v[i] = random.nextGaussian() * Math.pow(10, random.nextInt(9) - 4);
      }
      double bound = Math.pow(10, random.nextInt(7) - 3) * random.nextDouble() + 1e-9;
      double[] clipped = L2Clipping.clip(v, bound);
      assertTrue(L2Clipping.norm(clipped) <= bound, "trial " + t);
    }
  }

  @Test
  void norm_hugeAndTinyEntries_doesNotOverflowOrUnderflow() {
    assertEquals(5e300, L2Clipping.norm(new double[] {3e300, 4e300}), 1e286);
    assertEquals(5e-300, L2Clipping.norm(new double[] {3e-300, 4e-300}), 1e-314);
    assertEquals(0.0, L2Clipping.norm(new double[] {0, 0}));
  }

  @Test
  void isWithin_comparesNormToBound() {
    assertTrue(L2Clipping.isWithin(new double[] {3, 4}, 5));
    assertFalse(L2Clipping.isWithin(new double[] {3, 4}, 4.999));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY})
  void clip_badBound_throwsTemplateMessage(double bound) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> L2Clipping.clip(new double[] {1}, bound));
    assertEquals("bound must be > 0 and finite. Provided value: " + bound, e.getMessage());
  }

  @Test
  void clip_nonFiniteEntryOrNull_throws() {
    assertEquals(
        "v[0] must be finite. Provided value: Infinity",
        assertThrows(
                IllegalArgumentException.class,
                () -> L2Clipping.clip(new double[] {Double.POSITIVE_INFINITY}, 1))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> L2Clipping.clip(null, 1));
  }
}
