package org.hedgerow.privacy.noise;

import java.math.BigInteger;

/**
 * Exact Bernoulli trials with rational parameters, including Bernoulli(exp(-γ)) for rational γ ≥
 * 0 (Canonne, Kamath, Steinke 2020, "The Discrete Gaussian for Differential Privacy", Algorithm 1).
 *
 * <p>Every decision compares a uniform integer with an integer, so each trial succeeds with exactly
 * the stated probability — no floating point is involved anywhere.
 */
final class ExactBernoulli {

  private ExactBernoulli() {}

  /**
   * True with probability {@code num/den}; {@code 0 <= num <= den}, {@code 1 <= den <= 2^62}.
   *
   * <p>Compares a uniform V in [0, 1), drawn one binary digit at a time, with the binary expansion
   * of num/den, produced by long division, and stops at the first differing digit: P(V < p) = p
   * exactly, and on average only two random bits are spent, however large den is.
   */
  static boolean bernoulli(RandomBits bits, long num, long den) {
    if (num <= 0) {
      return false;
    }
    if (num >= den) {
      return true;
    }
    long r = num;
    while (true) {
      r <<= 1; // r < den <= 2^62, so no overflow
      boolean digit = r >= den;
      if (digit) {
        r -= den;
      }
      boolean bit = bits.nextBoolean();
      if (bit != digit) {
        return digit; // V's digit 0 under p's digit 1 means V < p
      }
      if (r == 0) {
        return false; // p's expansion ended; V < p would need all further bits 0 (probability 0)
      }
    }
  }

  /** True with probability {@code num/den}; {@code 0 <= num <= den}, {@code den >= 1}. */
  static boolean bernoulli(RandomBits bits, BigInteger num, BigInteger den) {
    if (den.bitLength() <= 62) {
      return bernoulli(bits, num.longValue(), den.longValue());
    }
    if (num.signum() <= 0) {
      return false;
    }
    if (num.compareTo(den) >= 0) {
      return true;
    }
    BigInteger r = num;
    while (true) {
      r = r.shiftLeft(1);
      boolean digit = r.compareTo(den) >= 0;
      if (digit) {
        r = r.subtract(den);
      }
      boolean bit = bits.nextBoolean();
      if (bit != digit) {
        return digit;
      }
      if (r.signum() == 0) {
        return false;
      }
    }
  }

  /** True with probability {@code exp(-1)}. */
  static boolean expMinusOne(RandomBits bits) {
    return expMinusFraction(bits, 1, 1);
  }

  /** True with probability {@code exp(-num/den)}; {@code num >= 0}, {@code den >= 1}. */
  static boolean expMinus(RandomBits bits, long num, long den) {
    // exp(-γ) = exp(-1)^⌊γ⌋ · exp(-(γ-⌊γ⌋)): independent trials, stop at the first failure.
    long whole = num / den;
    for (long i = 0; i < whole; i++) {
      if (!expMinusOne(bits)) {
        return false;
      }
    }
    return expMinusFraction(bits, num % den, den);
  }

  /** True with probability {@code exp(-num/den)}; {@code num >= 0}, {@code den >= 1}. */
  static boolean expMinus(RandomBits bits, BigInteger num, BigInteger den) {
    BigInteger[] qr = num.divideAndRemainder(den);
    BigInteger whole = qr[0];
    if (whole.bitLength() < 63) {
      for (long i = 0, n = whole.longValue(); i < n; i++) {
        if (!expMinusOne(bits)) {
          return false;
        }
      }
    } else {
      // Astronomically unlikely to get through even 100 rounds, but stay exact regardless.
      for (BigInteger i = BigInteger.ZERO; i.compareTo(whole) < 0; i = i.add(BigInteger.ONE)) {
        if (!expMinusOne(bits)) {
          return false;
        }
      }
    }
    BigInteger frac = qr[1];
    if (den.bitLength() <= 62) {
      return expMinusFraction(bits, frac.longValue(), den.longValue());
    }
    long k = 1;
    // Bernoulli(γ/k) drawn as Bernoulli(γ) AND Bernoulli(1/k): same law, no k·den product needed.
    while (bernoulli(bits, frac, den) && bits.uniform(k) == 0) {
      k++;
    }
    return (k & 1) == 1;
  }

  /**
   * Algorithm 1 of Canonne–Kamath–Steinke for γ = num/den in [0, 1]: count K, the first index at
   * which Bernoulli(γ/K) fails; P(K odd) = Σ (-γ)^j / j! = exp(-γ).
   */
  private static boolean expMinusFraction(RandomBits bits, long num, long den) {
    long k = 1;
    // Bernoulli(γ/k) drawn as Bernoulli(γ) AND Bernoulli(1/k): same law, never overflows den·k.
    while (bernoulli(bits, num, den) && bits.uniform(k) == 0) {
      k++;
    }
    return (k & 1) == 1;
  }
}
