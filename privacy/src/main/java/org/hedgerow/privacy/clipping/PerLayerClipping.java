package org.hedgerow.privacy.clipping;

import java.util.Arrays;

/**
 * Per-layer L2 clipping: a flat parameter vector is cut into consecutive layers and each layer is
 * clipped to its own bound C_l (McMahan et al. 2018, "Learning Differentially Private Recurrent
 * Language Models", per-layer clipping).
 *
 * <p>The clipped concatenation has norm at most sqrt(Σ C_l²), which is the L2 sensitivity to pass
 * to the noise ({@link #totalBound()}). {@link #uniform} gives each of L layers C/√L, and {@link
 * #proportionalToSize} gives layer l the share C·sqrt(n_l/n) (as TensorFlow Federated does for
 * per-vector clipping); either way the total bound is C.
 *
 * <p>Immutable and safe to share.
 */
public final class PerLayerClipping {

  private final int[] sizes;
  private final double[] bounds;
  private final int dimension;

  /**
   * @param layerSizes the number of coordinates of each layer, in order (each ≥ 1)
   * @param bounds the L2 bound of each layer (each > 0 and finite)
   */
  public PerLayerClipping(int[] layerSizes, double[] bounds) {
    if (layerSizes == null || bounds == null) {
      throw new IllegalArgumentException("layerSizes and bounds must not be null");
    }
    if (layerSizes.length == 0 || layerSizes.length != bounds.length) {
      throw new IllegalArgumentException(
          String.format(
              "layerSizes and bounds must be non-empty and of equal length. Provided lengths: %d, %d",
              layerSizes.length, bounds.length));
    }
    long total = 0;
    for (int i = 0; i < layerSizes.length; i++) {
      if (layerSizes[i] < 1) {
        throw new IllegalArgumentException(
            String.format("layerSizes[%d] must be >= 1. Provided value: %d", i, layerSizes[i]));
      }
      ClippingChecks.checkPositiveFinite("bounds[" + i + "]", bounds[i]);
      total += layerSizes[i];
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("total dimension exceeds an array's capacity: " + total);
    }
    this.sizes = layerSizes.clone();
    this.bounds = bounds.clone();
    this.dimension = (int) total;
  }

  /** Each of the L layers gets C/√L, so the whole vector is bounded by C. */
  public static PerLayerClipping uniform(int[] layerSizes, double totalBound) {
    ClippingChecks.checkPositiveFinite("totalBound", totalBound);
    if (layerSizes == null || layerSizes.length == 0) {
      throw new IllegalArgumentException("layerSizes must not be null or empty");
    }
    double[] bounds = new double[layerSizes.length];
    Arrays.fill(bounds, totalBound / Math.sqrt(layerSizes.length));
    return new PerLayerClipping(layerSizes, bounds);
  }

  /** Layer l gets C·sqrt(n_l / n), so larger layers get proportionally more of the budget C. */
  public static PerLayerClipping proportionalToSize(int[] layerSizes, double totalBound) {
    ClippingChecks.checkPositiveFinite("totalBound", totalBound);
    if (layerSizes == null || layerSizes.length == 0) {
      throw new IllegalArgumentException("layerSizes must not be null or empty");
    }
    long n = 0;
    for (int s : layerSizes) {
      n += s;
    }
    double[] bounds = new double[layerSizes.length];
    for (int i = 0; i < layerSizes.length; i++) {
      bounds[i] = totalBound * Math.sqrt((double) layerSizes[i] / n);
    }
    return new PerLayerClipping(layerSizes, bounds);
  }

  /**
   * Returns a copy of v with each layer scaled by min(1, C_l/‖v_l‖₂).
   *
   * @throws IllegalArgumentException if v's length is not the sum of the layer sizes, or it holds
   *     NaN or ±∞
   */
  public double[] clip(double[] v) {
    ClippingChecks.checkVector("v", v);
    if (v.length != dimension) {
      throw new IllegalArgumentException(
          String.format("v must have length %d. Provided length: %d", dimension, v.length));
    }
    double[] out = v.clone();
    int from = 0;
    for (int l = 0; l < sizes.length; l++) {
      L2Clipping.clipInPlace(out, from, from + sizes[l], bounds[l]);
      from += sizes[l];
    }
    return out;
  }

  /** sqrt(Σ C_l²): a bound on the norm of any clipped vector, i.e. its L2 sensitivity. */
  public double totalBound() {
    double sum = 0;
    for (double b : bounds) {
      sum += b * b;
    }
    return Math.sqrt(sum);
  }

  /** The per-layer bounds, in layer order. */
  public double[] bounds() {
    return bounds.clone();
  }

  /** The per-layer sizes, in layer order. */
  public int[] layerSizes() {
    return sizes.clone();
  }

  /** The length of the vectors this clips. */
  public int dimension() {
    return dimension;
  }
}
