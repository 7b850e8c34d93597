package org.hedgerow.privacy.noise;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Random;

/**
 * Exact sampler of the discrete Gaussian N_Z(0, σ²) on the integers, {@code P(Y = y) ∝ exp(-y² /
 * (2σ²))}.
 *
 * <p><b>Guarantee.</b> Adding an independent sample to each coordinate of an integer-valued query
 * q with {@code ||q(x) - q(x')||₂ ≤ Δ} for all neighbours gives ρ-zero-concentrated DP with ρ = Δ²
 * / (2σ²) (Canonne, Kamath, Steinke 2020, "The Discrete Gaussian for Differential Privacy",
 * NeurIPS 2020, arXiv:2004.00010: the Rényi divergence between integer shifts of N_Z(0, σ²) is at
 * most α·Δ²/(2σ²), and Rényi divergence adds over independent coordinates). This is the same ρ as
 * the continuous Gaussian with the same σ; the accountant models it as {@code
 * DiscreteGaussianEvent}.
 *
 * <p><b>Method.</b> Algorithm 3 of that paper: with t = ⌊σ⌋ + 1, draw Y from the discrete Laplace
 * with scale t ({@link DiscreteLaplace}, Algorithm 2) and accept it with probability exp(-(|Y| -
 * σ²/t)² / (2σ²)) (Algorithm 1). σ² is a {@link Rational} and the acceptance exponent is a ratio of
 * integers, so the output law is exactly N_Z(0, σ²). Products stay in {@code long} where they
 * provably cannot overflow and move to {@link BigInteger} otherwise. All randomness comes from a
 * {@link SecureRandom}, as unbiased uniform integers.
 *
 * <p>Stateless apart from its randomness source, and safe to share between threads.
 */
public final class DiscreteGaussian {

  /** σ² must not exceed 2^100: t = ⌊σ⌋+1 must fit the long arithmetic of the Laplace stage. */
  static final BigInteger MAX_SIGMA_SQUARED = BigInteger.ONE.shiftLeft(100);

  private final Random random;

  /** A sampler drawing from a new {@link SecureRandom}. */
  public DiscreteGaussian() {
    this(NoiseSource.random("discrete-gaussian"));
  }

  /** Seam for deterministic tests: any {@link Random}, e.g. a seeded one. */
  DiscreteGaussian(Random random) {
    this.random = random;
  }

  /** One sample of N_Z(0, σ²), with σ² converted exactly from the double. */
  public long sample(double sigmaSquared) {
    NoiseChecks.checkPositiveFinite("sigmaSquared", sigmaSquared);
    return sample(Rational.exactly(sigmaSquared));
  }

  /** One sample of N_Z(0, σ²). */
  public long sample(Rational sigmaSquared) {
    return samples(sigmaSquared, 1)[0];
  }

  /** {@code count} independent samples of N_Z(0, σ²). */
  public long[] samples(Rational sigmaSquared, int count) {
    Plan plan = plan(sigmaSquared);
    NoiseChecks.checkCount(count);
    return addNoise(new long[count], plan);
  }

  /**
   * Returns {@code x + Y} with independent {@code Y ~ N_Z(0, σ²)} per coordinate (σ² converted
   * exactly from the double).
   *
   * @throws ArithmeticException if a noisy coordinate overflows a long
   */
  public long[] addNoise(long[] x, double sigmaSquared) {
    NoiseChecks.checkPositiveFinite("sigmaSquared", sigmaSquared);
    return addNoise(x, Rational.exactly(sigmaSquared));
  }

  /**
   * Returns {@code x + Y} with independent {@code Y ~ N_Z(0, σ²)} per coordinate.
   *
   * @throws ArithmeticException if a noisy coordinate overflows a long
   */
  public long[] addNoise(long[] x, Rational sigmaSquared) {
    NoiseChecks.checkNotNull("x", x);
    return addNoise(x, plan(sigmaSquared));
  }

  /**
   * Returns {@code x + Y} with independent {@code Y ~ N_Z(0, σ²)} per coordinate.
   *
   * @throws ArithmeticException if a noisy coordinate overflows an int (callers that work modulo
   *     2^k should use the {@code long[]} overload and reduce)
   */
  public int[] addNoise(int[] x, Rational sigmaSquared) {
    NoiseChecks.checkNotNull("x", x);
    Plan plan = plan(sigmaSquared);
    RandomBits bits = new RandomBits(random, x.length);
    int[] out = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = Math.toIntExact(x[i] + sample(bits, plan));
    }
    return out;
  }

  private long[] addNoise(long[] x, Plan plan) {
    RandomBits bits = new RandomBits(random, x.length);
    long[] out = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = Math.addExact(x[i], sample(bits, plan));
    }
    return out;
  }

  /** Validates σ² and precomputes the constants of Algorithm 3. */
  static Plan plan(Rational sigmaSquared) {
    NoiseChecks.checkPositive("sigmaSquared", sigmaSquared);
    NoiseChecks.checkAtMost("sigmaSquared", sigmaSquared, MAX_SIGMA_SQUARED, "2^100");
    return new Plan(sigmaSquared.numerator(), sigmaSquared.denominator());
  }

  /**
   * The constants of Algorithm 3 for σ² = n/d. The acceptance exponent is γ = (|y|·d·t − n)² /
   * (2·n·d·t²).
   */
  static final class Plan {
    final BigInteger n;
    final BigInteger d;
    final long t;
    final BigInteger dt;
    final BigInteger den;
    // Long fast path: valid when n < 2^31 and |y|·d·t < 2^31, so the squared numerator < 2^62.
    final boolean longPath;
    final long nLong;
    final long dtLong;
    final long denLong;
    final long yLimit;

    Plan(BigInteger n, BigInteger d) {
      this.n = n;
      this.d = d;
      // ⌊σ⌋ = ⌊sqrt(⌊n/d⌋)⌋ exactly, since k² ≤ n/d ⇔ k² ≤ ⌊n/d⌋ for integers k.
      this.t = n.divide(d).sqrt().longValueExact() + 1;
      BigInteger bt = BigInteger.valueOf(t);
      this.dt = d.multiply(bt);
      this.den = BigInteger.TWO.multiply(n).multiply(dt).multiply(bt);
      this.longPath = n.bitLength() <= 31 && dt.bitLength() <= 31 && den.bitLength() <= 62;
      this.nLong = longPath ? n.longValue() : 0;
      this.dtLong = longPath ? dt.longValue() : 0;
      this.denLong = longPath ? den.longValue() : 0;
      this.yLimit = longPath ? (1L << 31) / dtLong : 0;
    }
  }

  /** Algorithm 3 of Canonne–Kamath–Steinke. */
  static long sample(RandomBits bits, Plan plan) {
    while (true) {
      long y = DiscreteLaplace.sample(bits, plan.t, 1);
      long absY = Math.abs(y);
      boolean accept;
      if (plan.longPath && absY < plan.yLimit) {
        long a = absY * plan.dtLong - plan.nLong;
        accept = ExactBernoulli.expMinus(bits, a * a, plan.denLong);
      } else {
        BigInteger a = BigInteger.valueOf(absY).multiply(plan.dt).subtract(plan.n);
        accept = ExactBernoulli.expMinus(bits, a.multiply(a), plan.den);
      }
      if (accept) {
        return y;
      }
    }
  }
}
