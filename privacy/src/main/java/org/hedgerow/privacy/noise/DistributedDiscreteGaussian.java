package org.hedgerow.privacy.noise;

import java.security.SecureRandom;
import java.util.Random;

/**
 * One contributor's share of distributed discrete Gaussian noise: adds an exact, independent
 * N_Z(0, σ²) sample ({@link DiscreteGaussian}, Canonne, Kamath, Steinke 2020, "The Discrete
 * Gaussian for Differential Privacy", Algorithm 3) to every coordinate of an integer vector that
 * will only ever be released as part of a secure sum.
 *
 * <p><b>Guarantee.</b> Not a guarantee for the share alone: σ² is a fraction of the noise the sum
 * needs. If at least t contributors each add a share of variance σ² to integer vectors and only
 * their sum is released, an integer query of L2 sensitivity Δ on d coordinates is ρ-zCDP with
 * ρ = Δ²/(2tσ²) + τ·d (Kairouz, Liu, Steinke 2021, "The Distributed Discrete Gaussian Mechanism for
 * Federated Learning with Secure Aggregation", Proposition 14; τ and the conservative steps are in
 * {@link org.hedgerow.privacy.accounting.DistributedGaussianSum}). The coordinates are returned as
 * exact integers (no wrap: {@link ArithmeticException} on overflow); reducing them into a ring
 * Z_{2^b} afterwards is post-processing.
 *
 * <p>Stateless apart from its randomness source ({@link SecureRandom} by default), safe to share
 * between threads.
 */
public final class DistributedDiscreteGaussian {
  private final DiscreteGaussian sampler;

  /** A mechanism drawing from a new {@link SecureRandom}. */
  public DistributedDiscreteGaussian() {
    this(NoiseSource.random("distributed-discrete-gaussian"));
  }

  /** Seam for deterministic tests. */
  DistributedDiscreteGaussian(Random random) {
    this.sampler = new DiscreteGaussian(random);
  }

  /**
   * {@code x} plus an independent N_Z(0, σ²) sample per coordinate; a new array.
   *
   * @param shareVariance σ² ≥ 1/4 (σ ≥ 1/2, as KLS21's bound requires), finite; converted exactly
   *     from the double
   * @throws IllegalArgumentException a bad σ² or a null vector
   */
  public long[] addShare(long[] x, double shareVariance) {
    NoiseChecks.checkNotNull("x", x);
    if (!(shareVariance >= 0.25) || !Double.isFinite(shareVariance)) {
      throw new IllegalArgumentException(
          "shareVariance must be >= 1/4 (sigma >= 1/2) and finite. Provided value: " + shareVariance);
    }
    return sampler.addNoise(x, shareVariance);
  }
}
