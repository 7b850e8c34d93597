package org.hedgerow.privacy.noise;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * An exact rational number {@code numerator / denominator}, always kept in lowest terms with a
 * positive denominator.
 *
 * <p>The exact samplers ({@link DiscreteGaussian}, {@link DiscreteLaplace}) take their parameters
 * as rationals so that every probability they realise is an exact ratio of integers. A finite
 * {@code double} is itself an exact dyadic rational, so {@link #exactly(double)} loses nothing.
 */
public record Rational(BigInteger numerator, BigInteger denominator)
    implements Comparable<Rational> {

  /** Normalises to lowest terms with a positive denominator. */
  public Rational {
    if (numerator == null || denominator == null) {
      throw new IllegalArgumentException("numerator and denominator must not be null");
    }
    if (denominator.signum() == 0) {
      throw new IllegalArgumentException("denominator must not be 0");
    }
    if (denominator.signum() < 0) {
      numerator = numerator.negate();
      denominator = denominator.negate();
    }
    BigInteger gcd = numerator.gcd(denominator);
    if (gcd.signum() != 0 && !gcd.equals(BigInteger.ONE)) {
      numerator = numerator.divide(gcd);
      denominator = denominator.divide(gcd);
    }
  }

  /** {@code numerator / denominator}. */
  public static Rational of(long numerator, long denominator) {
    return new Rational(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
  }

  /** {@code numerator / denominator}. */
  public static Rational of(BigInteger numerator, BigInteger denominator) {
    return new Rational(numerator, denominator);
  }

  /**
   * The exact value of a finite double: {@code m · 2^e} becomes {@code m·2^e / 1} or {@code m /
   * 2^-e}. Nothing is rounded.
   *
   * @throws IllegalArgumentException if {@code x} is NaN or infinite
   */
  public static Rational exactly(double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("x must be finite. Provided value: " + x);
    }
    if (x == 0.0) {
      return new Rational(BigInteger.ZERO, BigInteger.ONE);
    }
    long bits = Double.doubleToRawLongBits(x);
    int biasedExponent = (int) ((bits >>> 52) & 0x7ff);
    long mantissa = bits & 0x000f_ffff_ffff_ffffL;
    if (biasedExponent == 0) {
      biasedExponent = 1; // subnormal: no implicit leading bit
    } else {
      mantissa |= 1L << 52;
    }
    int exponent = biasedExponent - 1075; // |x| = mantissa * 2^exponent
    BigInteger m = BigInteger.valueOf(x < 0 ? -mantissa : mantissa);
    if (exponent >= 0) {
      return new Rational(m.shiftLeft(exponent), BigInteger.ONE);
    }
    return new Rational(m, BigInteger.ONE.shiftLeft(-exponent));
  }

  /** -1, 0 or 1 as this rational is negative, zero or positive. */
  public int signum() {
    return numerator.signum();
  }

  /** The exact product. */
  public Rational multiply(Rational other) {
    return new Rational(
        numerator.multiply(other.numerator), denominator.multiply(other.denominator));
  }

  /** The nearest double (for messages and diagnostics; never used for sampling). */
  public double doubleValue() {
    return new BigDecimal(numerator)
        .divide(new BigDecimal(denominator), MathContext.DECIMAL128)
        .doubleValue();
  }

  @Override
  public int compareTo(Rational other) {
    return numerator.multiply(other.denominator).compareTo(other.numerator.multiply(denominator));
  }

  @Override
  public String toString() {
    return denominator.equals(BigInteger.ONE) ? numerator.toString() : numerator + "/" + denominator;
  }
}
