package org.hedgerow.privacy.noise;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Random;

/**
 * Exact sampler of the discrete Laplace distribution on the integers, {@code P(Y = y) ∝
 * exp(-|y| / scale)}.
 *
 * <p><b>Guarantee.</b> Adding an independent sample to each coordinate of an integer-valued query
 * whose L1 sensitivity is Δ (an integer) gives (Δ / scale)-differential privacy.
 *
 * <p><b>Method.</b> Algorithm 2 of Canonne, Kamath, Steinke (2020), "The Discrete Gaussian for
 * Differential Privacy" (NeurIPS 2020, arXiv:2004.00010): with scale = t/s in lowest terms, draw U
 * uniform on {0..t-1} kept with probability exp(-U/t), a geometric V with ratio exp(-1), and
 * return ±⌊(U + tV)/s⌋ with the sign chosen by a fair coin (rejecting "-0"). Every step is integer
 * arithmetic on the output of a {@link SecureRandom}; the sample is exact, not an approximation.
 *
 * <p>Stateless apart from its randomness source, and safe to share between threads.
 */
public final class DiscreteLaplace {

  /** Both terms of the scale, in lowest terms, must stay below this (they are held in longs). */
  static final BigInteger MAX_TERM = BigInteger.ONE.shiftLeft(62);

  private final Random random;

  /** A sampler drawing from a new {@link SecureRandom}. */
  public DiscreteLaplace() {
    this(NoiseSource.random("discrete-laplace"));
  }

  /** Seam for deterministic tests: any {@link Random}, e.g. a seeded one. */
  DiscreteLaplace(Random random) {
    this.random = random;
  }

  /** One sample with the given scale (converted exactly from the double). */
  public long sample(double scale) {
    NoiseChecks.checkPositiveFinite("scale", scale);
    return sample(Rational.exactly(scale));
  }

  /** One sample with the given rational scale. */
  public long sample(Rational scale) {
    return samples(scale, 1)[0];
  }

  /** {@code count} independent samples with the given rational scale. */
  public long[] samples(Rational scale, int count) {
    checkScale(scale);
    NoiseChecks.checkCount(count);
    return addNoise(new long[count], scale);
  }

  /**
   * Returns {@code x + Y} with independent discrete Laplace {@code Y} per coordinate.
   *
   * @throws ArithmeticException if a noisy coordinate overflows a long
   */
  public long[] addNoise(long[] x, Rational scale) {
    NoiseChecks.checkNotNull("x", x);
    checkScale(scale);
    long t = scale.numerator().longValueExact();
    long s = scale.denominator().longValueExact();
    RandomBits bits = new RandomBits(random, x.length);
    long[] out = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = Math.addExact(x[i], sample(bits, t, s));
    }
    return out;
  }

  private static void checkScale(Rational scale) {
    NoiseChecks.checkPositive("scale", scale);
    if (scale.numerator().compareTo(MAX_TERM) >= 0
        || scale.denominator().compareTo(MAX_TERM) >= 0) {
      throw new IllegalArgumentException(
          "scale must be t/s in lowest terms with t, s < 2^62. Provided value: " + scale);
    }
  }

  /** Algorithm 2 of Canonne–Kamath–Steinke for scale t/s (t, s ≥ 1). */
  static long sample(RandomBits bits, long t, long s) {
    while (true) {
      long u = bits.uniform(t);
      if (!ExactBernoulli.expMinus(bits, u, t)) {
        continue;
      }
      long v = 0;
      while (ExactBernoulli.expMinusOne(bits)) {
        v++;
      }
      long y = floorOfRatio(u, t, v, s);
      boolean negative = bits.nextBoolean();
      if (negative && y == 0) {
        continue; // otherwise 0 would be drawn twice as often as it should
      }
      return negative ? -y : y;
    }
  }

  /** ⌊(u + t·v) / s⌋, exactly, for non-negative arguments. */
  private static long floorOfRatio(long u, long t, long v, long s) {
    try {
      return Math.addExact(u, Math.multiplyExact(t, v)) / s;
    } catch (ArithmeticException overflow) {
      // Only reachable for huge t with a long geometric run; keep it exact.
      return BigInteger.valueOf(t)
          .multiply(BigInteger.valueOf(v))
          .add(BigInteger.valueOf(u))
          .divide(BigInteger.valueOf(s))
          .longValueExact();
    }
  }
}
