package org.hedgerow.aggregation.quantization;

/**
 * How real vectors are mapped into the ring Z_{2^b} for secure summation.
 *
 * <p>Each coordinate is clipped to {@code [−clipBound, clipBound]} and scaled by
 * {@code scale = (2^{bits−1} − 1) / clipBound}, so a clipped value lands in
 * {@code [−(2^{bits−1} − 1), 2^{bits−1} − 1]} before rounding; the grid spacing in real units is
 * {@link #step()} {@code = 1/scale}. Integers are stored modulo {@code 2^modulusBits}
 * (two's-complement residues). A sum of {@code n} such integers is recovered exactly as long as
 * {@code n · 2^bits ≤ 2^modulusBits}, because then |sum| ≤ n(2^{bits−1} − 1) < 2^{modulusBits−1}
 * and centring the residue gives back the signed integer.
 *
 * @param clipBound c > 0, finite
 * @param bits k ∈ [2, 53]: quantisation levels per sign (53 is the precision of a double)
 * @param modulusBits b ∈ [k, 62]: the ring Z_{2^b} in which sums are taken
 */
public record QuantizationParams(double clipBound, int bits, int modulusBits) {
  public static final int DEFAULT_MODULUS_BITS = 32;
  public static final int MAX_MODULUS_BITS = 62;

  public QuantizationParams {
    if (!(clipBound > 0) || !Double.isFinite(clipBound)) {
      throw new IllegalArgumentException("clipBound must be > 0 and finite. Provided value: " + clipBound);
    }
    if (bits < 2 || bits > 53) {
      throw new IllegalArgumentException("bits must be in [2, 53]. Provided value: " + bits);
    }
    if (modulusBits < bits || modulusBits > MAX_MODULUS_BITS) {
      throw new IllegalArgumentException(String.format(
          "modulusBits must be in [bits = %d, %d]. Provided value: %d", bits, MAX_MODULUS_BITS, modulusBits));
    }
  }

  /** Parameters in the default ring Z_{2^32}. */
  public static QuantizationParams of(double clipBound, int bits) {
    return new QuantizationParams(clipBound, bits, DEFAULT_MODULUS_BITS);
  }

  /** The largest {@code bits} such that {@code summands} vectors can be summed in Z_{2^modulusBits}. */
  public static int maxBitsFor(int summands, int modulusBits) {
    if (summands < 1) {
      throw new IllegalArgumentException("summands must be >= 1. Provided value: " + summands);
    }
    int log = 32 - Integer.numberOfLeadingZeros(summands - 1); // ceil(log2(summands))
    return modulusBits - log;
  }

  /** Integers per real unit. */
  public double scale() {
    return ((1L << (bits - 1)) - 1) / clipBound;
  }

  /** Real value of one quantisation step: the most one coordinate's rounding can move it. */
  public double step() {
    return clipBound / ((1L << (bits - 1)) - 1);
  }

  /** {@code 2^modulusBits − 1}: masks a long down to its residue. */
  public long modulusMask() {
    return (1L << modulusBits) - 1;
  }

  /** How many quantised vectors can be summed without wrapping: {@code 2^(modulusBits − bits)}. */
  public long maxSummands() {
    return 1L << (modulusBits - bits);
  }

  /**
   * @throws IllegalArgumentException if {@code summands · 2^bits > 2^modulusBits} (the sum could
   *     wrap around and be decoded wrongly)
   */
  public void requireCapacity(long summands) {
    if (summands < 0 || summands > maxSummands()) {
      throw new IllegalArgumentException(String.format(
          "summands · 2^bits must fit in 2^modulusBits: at most %d vectors can be summed with bits = %d in Z_2^%d."
              + " Provided value: %d",
          maxSummands(), bits, modulusBits, summands));
    }
  }
}
