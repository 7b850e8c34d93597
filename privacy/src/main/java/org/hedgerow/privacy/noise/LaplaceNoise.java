package org.hedgerow.privacy.noise;

import java.security.SecureRandom;
import java.util.Random;

/**
 * Adds Laplace noise to real vectors for ε-differential privacy without the floating-point leaks
 * of textbook samplers (Mironov 2012).
 *
 * <p><b>Method.</b> The noise scale is b = Δ₁/ε. Outputs lie on the grid g·Z with g = 2^(⌊log2 b⌋
 * − 40) (see {@link #granularity(double, double)}): each coordinate becomes g·(round(x/g) + Y)
 * with Y drawn exactly from the discrete Laplace distribution with scale b/g (computed exactly as
 * a rational) by {@link DiscreteLaplace} (Canonne, Kamath, Steinke 2020, Algorithm 2). As in
 * Google's differential-privacy library the grid is a power of two, but the integer noise is
 * exact rather than a floating-point geometric approximation.
 *
 * <p><b>Guarantee.</b> Let f have L1 sensitivity Δ₁ on R^d. Rounding moves each coordinate by at
 * most g/2, so round(f/g) has L1 sensitivity at most Δ₁/g + d, and discrete Laplace noise of scale
 * b/g makes the release ε'-DP with ε' = ε + d·g/b ≤ ε + d·2^-40 — ε itself for any realistic
 * dimension.
 *
 * <p>Stateless apart from its randomness source (a {@link SecureRandom} by default), and safe to
 * share between threads.
 */
public final class LaplaceNoise {

  private final Random random;

  /** A mechanism drawing from a new {@link SecureRandom}. */
  public LaplaceNoise() {
    this(NoiseSource.random("laplace-noise"));
  }

  /** Seam for deterministic tests: any {@link Random}, e.g. a seeded one. */
  LaplaceNoise(Random random) {
    this.random = random;
  }

  /**
   * The grid spacing for sensitivity Δ₁ and budget ε: the power of two g with (Δ₁/ε)/g in [2^40,
   * 2^41). Every output of {@link #addNoise} is an exact multiple of it.
   */
  public static double granularity(double l1Sensitivity, double epsilon) {
    return Granularity.of(scale(l1Sensitivity, epsilon));
  }

  /** Returns x plus Laplace noise of scale Δ₁/ε, snapped to the grid. */
  public double addNoise(double x, double l1Sensitivity, double epsilon) {
    return addNoise(new double[] {x}, l1Sensitivity, epsilon)[0];
  }

  /**
   * Returns a new vector: each coordinate plus independent Laplace noise of scale Δ₁/ε, snapped to
   * the grid {@link #granularity(double, double) granularity(Δ₁, ε)}·Z.
   *
   * @throws IllegalArgumentException if x is null or holds NaN or ±∞, or Δ₁ or ε is not positive
   *     and finite
   */
  public double[] addNoise(double[] x, double l1Sensitivity, double epsilon) {
    double b = scale(l1Sensitivity, epsilon);
    NoiseChecks.checkNotNull("x", x);
    NoiseChecks.checkFiniteEntries(x);
    double g = Granularity.of(b);
    Rational scaleOverG = Rational.exactly(b / g); // exact: division by a power of two
    long t = scaleOverG.numerator().longValueExact();
    long s = scaleOverG.denominator().longValueExact();
    RandomBits bits = new RandomBits(random, x.length);
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = Granularity.release(x[i], g, DiscreteLaplace.sample(bits, t, s));
    }
    return out;
  }

  private static double scale(double l1Sensitivity, double epsilon) {
    NoiseChecks.checkPositiveFinite("l1Sensitivity", l1Sensitivity);
    NoiseChecks.checkPositiveFinite("epsilon", epsilon);
    double b = l1Sensitivity / epsilon;
    if (Double.isInfinite(b)) {
      throw new IllegalArgumentException(
          "l1Sensitivity / epsilon must be finite. Provided value: " + b);
    }
    Granularity.checkScale("l1Sensitivity / epsilon", b);
    return b;
  }
}
