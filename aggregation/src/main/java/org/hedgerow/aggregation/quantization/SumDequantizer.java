package org.hedgerow.aggregation.quantization;

/**
 * Turns a modular sum of {@code n} quantised vectors back into a real sum.
 *
 * <p>Guarantee: if {@code n · 2^bits ≤ 2^modulusBits} (checked), centring the residue into
 * {@code [−2^{b−1}, 2^{b−1})} recovers the exact integer sum, so for every coordinate
 * {@code |dequantised − Σ clip(x_i)| < n · step} (each of the n roundings moves its term by less
 * than one step; floating-point error is far below a step), and the result is an unbiased
 * estimate of the clipped sum.
 */
public final class SumDequantizer {
  private final QuantizationParams params;

  public SumDequantizer(QuantizationParams params) {
    if (params == null) {
      throw new IllegalArgumentException("params must not be null");
    }
    this.params = params;
  }

  /** Dequantises a sum of {@code summands} vectors given as residues mod 2^b. */
  public double[] dequantize(long[] modularSum, int summands) {
    params.requireCapacity(summands);
    int b = params.modulusBits();
    long mask = params.modulusMask();
    long half = 1L << (b - 1);
    double step = params.step();
    double[] out = new double[modularSum.length];
    for (int i = 0; i < out.length; i++) {
      long r = modularSum[i] & mask;
      long centred = r >= half ? r - (1L << b) : r;
      out[i] = centred * step;
    }
    return out;
  }

  /** Dequantises a sum held as 32-bit residues (the secure-aggregation output, b ≤ 32). */
  public double[] dequantize(int[] modularSum, int summands) {
    if (params.modulusBits() > 32) {
      throw new IllegalArgumentException("an int[] sum needs modulusBits <= 32. Provided value: "
          + params.modulusBits());
    }
    long[] wide = new long[modularSum.length];
    for (int i = 0; i < wide.length; i++) {
      wide[i] = modularSum[i] & 0xffffffffL;
    }
    return dequantize(wide, summands);
  }
}
