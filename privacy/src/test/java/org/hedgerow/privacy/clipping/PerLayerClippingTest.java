package org.hedgerow.privacy.clipping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PerLayerClippingTest {

  @Test
  void clip_givenBounds_clipsEachLayerSeparately() {
    PerLayerClipping clipping = new PerLayerClipping(new int[] {2, 3}, new double[] {5, 4});
    // Layer 1: ‖(6, 8)‖ = 10 > 5 → halved. Layer 2: ‖(0, 3, 4)‖ = 5 > 4 → × 4/5 (exact here? no:
    // use a power-of-two ratio instead) — so layer 2 is (0, 1, 1) with norm √2 ≤ 4: untouched.
    double[] clipped = clipping.clip(new double[] {6, 8, 0, 1, 1});
    assertArrayEquals(new double[] {3, 4, 0, 1, 1}, clipped, 0.0);
  }

  @Test
  void clip_secondLayerOverBound_onlySecondLayerScaled() {
    PerLayerClipping clipping = new PerLayerClipping(new int[] {1, 2}, new double[] {1, 1.25});
    // ‖(1.5, 2)‖ = 2.5 → scaled by exactly 1/2.
    assertArrayEquals(
        new double[] {0.5, 0.75, 1.0}, clipping.clip(new double[] {0.5, 1.5, 2}), 0.0);
  }

  @Test
  void uniform_fourLayers_givesEachHalfOfTotal() {
    PerLayerClipping clipping = PerLayerClipping.uniform(new int[] {1, 1, 1, 1}, 2.0);
    assertArrayEquals(new double[] {1, 1, 1, 1}, clipping.bounds(), 0.0); // 2/√4 = 1
    assertEquals(2.0, clipping.totalBound(), 0.0);
    assertArrayEquals(new double[] {1, -1, 0.5, 1}, clipping.clip(new double[] {4, -3, 0.5, 1}),
        0.0);
  }

  @Test
  void proportionalToSize_layersOfOneAndThree_splitBySqrtOfShare() {
    PerLayerClipping clipping = PerLayerClipping.proportionalToSize(new int[] {1, 3}, 2.0);
    assertArrayEquals(new double[] {1.0, Math.sqrt(3)}, clipping.bounds(), 1e-15);
    assertEquals(2.0, clipping.totalBound(), 1e-15);
  }

  @Test
  void clip_wrongLength_throws() {
    PerLayerClipping clipping = PerLayerClipping.uniform(new int[] {2, 2}, 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> clipping.clip(new double[3]));
    assertEquals("v must have length 4. Provided length: 3", e.getMessage());
  }

  @Test
  void constructor_badLayersOrBounds_throw() {
    assertEquals(
        "layerSizes[1] must be >= 1. Provided value: 0",
        assertThrows(
                IllegalArgumentException.class,
                () -> new PerLayerClipping(new int[] {2, 0}, new double[] {1, 1}))
            .getMessage());
    assertEquals(
        "bounds[0] must be > 0 and finite. Provided value: NaN",
        assertThrows(
                IllegalArgumentException.class,
                () -> new PerLayerClipping(new int[] {2}, new double[] {Double.NaN}))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new PerLayerClipping(new int[] {2, 2}, new double[] {1}));
  }
}
