package org.hedgerow.aggregation.quantization;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * Clips, scales and stochastically rounds real vectors into Z_{2^b} (see {@link QuantizationParams}).
 *
 * <p>Guarantee: for a clipped, scaled coordinate v the output q is {@code ⌊v⌋ + 1} with
 * probability {@code v − ⌊v⌋} and {@code ⌊v⌋} otherwise, so {@code E[q] = v} (unbiased) and
 * {@code |q − v| < 1}, i.e. less than one {@link QuantizationParams#step()} in real units
 * (Gupta et al. 2015; the rounding used for SecAgg in Kairouz et al. 2021, "The Distributed
 * Discrete Gaussian Mechanism"). The rounding coins come from a {@link SecureRandom} by
 * default; any other generator must be cryptographically secure too (e.g. a ChaCha20-based one)
 * because the rounding pattern is a function of the private input.
 */
public final class StochasticQuantizer {
  private final QuantizationParams params;
  private final RandomGenerator random;
  private final double scale;
  private final double limit;

  public StochasticQuantizer(QuantizationParams params) {
    this(params, org.hedgerow.privacy.noise.NoiseSource.random("stochastic-quantizer"));
  }

  /** With an explicit coin source, e.g. a seeded {@code ChaChaRandom} for reproducible runs. */
  public StochasticQuantizer(QuantizationParams params, RandomGenerator random) {
    if (params == null || random == null) {
      throw new IllegalArgumentException("params and random must not be null");
    }
    this.params = params;
    this.random = random;
    this.scale = params.scale();
    this.limit = (double) ((1L << (params.bits() - 1)) - 1);
  }

  public QuantizationParams params() {
    return params;
  }

  /**
   * Quantises {@code x} into residues in {@code [0, 2^modulusBits)}.
   *
   * @throws IllegalArgumentException if a coordinate is NaN or infinite
   */
  public long[] quantize(double[] x) {
    long mask = params.modulusMask();
    long[] out = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = roundCoordinate(x, i) & mask;
    }
    return out;
  }

  /**
   * Quantises into {@code int}s for rings of at most 32 bits; the {@code int} carries the residue's
   * low 32 bits, which is all secure aggregation in Z_{2^32} needs.
   */
  public int[] quantizeToInts(double[] x) {
    if (params.modulusBits() > 32) {
      throw new IllegalArgumentException("quantizeToInts needs modulusBits <= 32. Provided value: "
          + params.modulusBits());
    }
    long mask = params.modulusMask();
    int[] out = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (int) (roundCoordinate(x, i) & mask);
    }
    return out;
  }

  private long roundCoordinate(double[] x, int i) {
    double xi = x[i];
    if (!Double.isFinite(xi)) {
      throw new IllegalArgumentException("coordinate " + i + " must be finite. Provided value: " + xi);
    }
    double v = Math.max(-limit, Math.min(limit, xi * scale));
    double floor = Math.floor(v);
    // nextDouble() is uniform on [0,1) in steps of 2^-53: P(u < frac) = frac up to 2^-53.
    return (long) floor + (random.nextDouble() < v - floor ? 1 : 0);
  }
}
