package org.hedgerow.aggregation.quantization;

/**
 * A running element-wise sum of vectors in Z_{2^b}. Addition of residues is done in 64-bit
 * two's-complement arithmetic and reduced with a mask, which is exact for b ≤ 62.
 */
public final class ModularSum {
  private final long[] sum;
  private final long mask;
  private int count;

  public ModularSum(int dimension, int modulusBits) {
    if (dimension < 0) {
      throw new IllegalArgumentException("dimension must be >= 0. Provided value: " + dimension);
    }
    if (modulusBits < 1 || modulusBits > QuantizationParams.MAX_MODULUS_BITS) {
      throw new IllegalArgumentException("modulusBits must be in [1, 62]. Provided value: " + modulusBits);
    }
    this.sum = new long[dimension];
    this.mask = (1L << modulusBits) - 1;
  }

  /** Adds one vector of residues (any long; only its residue mod 2^b matters). */
  public void add(long[] v) {
    requireDimension(v.length);
    for (int i = 0; i < sum.length; i++) {
      sum[i] = (sum[i] + v[i]) & mask;
    }
    count++;
  }

  /** Adds one vector of 32-bit residues (read as unsigned). */
  public void add(int[] v) {
    requireDimension(v.length);
    for (int i = 0; i < sum.length; i++) {
      sum[i] = (sum[i] + (v[i] & 0xffffffffL)) & mask;
    }
    count++;
  }

  /** How many vectors were added. */
  public int count() {
    return count;
  }

  /** The current sum, residues in {@code [0, 2^b)}. */
  public long[] value() {
    return sum.clone();
  }

  private void requireDimension(int length) {
    if (length != sum.length) {
      throw new IllegalArgumentException(String.format(
          "vector must have dimension %d. Provided length: %d", sum.length, length));
    }
  }
}
