package org.hedgerow.privacy.noise;

import java.security.SecureRandom;
import java.util.Random;

/**
 * Adds Gaussian noise of standard deviation σ to real vectors without the floating-point leaks of
 * textbook samplers (Mironov 2012).
 *
 * <p><b>Method.</b> Outputs lie on the grid g·Z with g = 2^(⌊log2 σ⌋ − 40) (see {@link
 * #granularity(double)}): each coordinate becomes g·(round(x/g) + Y) with Y drawn exactly from the
 * discrete Gaussian N_Z(0, (σ/g)²) by {@link DiscreteGaussian} (Canonne, Kamath, Steinke 2020,
 * Algorithm 3). (σ/g)² is computed exactly as a rational, so the only approximation is the grid
 * itself, 2^40 times finer than σ. This follows Google's differential-privacy library in snapping
 * to a power-of-two granularity, but draws the integer noise from an exact discrete Gaussian
 * rather than a binomial approximation.
 *
 * <p><b>Guarantee.</b> Let f have L2 sensitivity Δ on R^d. Rounding to the grid moves each
 * coordinate by at most g/2, so round(f/g) has L2 sensitivity at most Δ/g + √d, and by the
 * discrete Gaussian's guarantee the release is ρ-zCDP with ρ = (Δ/σ + √d·g/σ)² / 2 ≤ (Δ/σ +
 * √d·2^-40)² / 2 — the continuous Gaussian's Δ²/(2σ²) up to a term that is negligible for any
 * realistic d (for d = 10^6 it shifts Δ/σ by less than 10^-9). With Poisson subsampling, the
 * accountant applies the sampled-Gaussian RDP bound of Mironov, Talwar, Zhang (2019), which is
 * proven for the continuous Gaussian; at a resolution of 2^-40·σ the two are treated as the same.
 *
 * <p>Stateless apart from its randomness source (a {@link SecureRandom} by default), and safe to
 * share between threads.
 */
public final class GaussianNoise {

  private final Random random;

  /** A mechanism drawing from a new {@link SecureRandom}. */
  public GaussianNoise() {
    this(NoiseSource.random("gaussian-noise"));
  }

  /** Seam for deterministic tests: any {@link Random}, e.g. a seeded one. */
  GaussianNoise(Random random) {
    this.random = random;
  }

  /**
   * The grid spacing used for noise of standard deviation σ: the power of two g with σ/g in
   * [2^40, 2^41). Every output of {@link #addNoise} is an exact multiple of it.
   */
  public static double granularity(double sigma) {
    checkSigma(sigma);
    return Granularity.of(sigma);
  }

  /** Returns x plus Gaussian noise of standard deviation σ, snapped to the grid. */
  public double addNoise(double x, double sigma) {
    return addNoise(new double[] {x}, sigma)[0];
  }

  /**
   * Returns a new vector: each coordinate plus independent Gaussian noise of standard deviation σ,
   * snapped to the grid {@link #granularity(double) granularity(σ)}·Z.
   *
   * @throws IllegalArgumentException if x is null, holds NaN or ±∞, or σ is not positive and
   *     finite
   */
  public double[] addNoise(double[] x, double sigma) {
    checkSigma(sigma);
    NoiseChecks.checkNotNull("x", x);
    NoiseChecks.checkFiniteEntries(x);
    double g = Granularity.of(sigma);
    Rational sigmaOverG = Rational.exactly(sigma / g); // exact: division by a power of two
    DiscreteGaussian.Plan plan = DiscreteGaussian.plan(sigmaOverG.multiply(sigmaOverG));
    RandomBits bits = new RandomBits(random, x.length);
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = Granularity.release(x[i], g, DiscreteGaussian.sample(bits, plan));
    }
    return out;
  }

  private static void checkSigma(double sigma) {
    NoiseChecks.checkPositiveFinite("sigma", sigma);
    Granularity.checkScale("sigma", sigma);
  }
}
