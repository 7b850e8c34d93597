package org.hedgerow.privacy.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DiscreteGaussianTest {

  /** False-rejection rate of each statistical test below, had its seed been random. */
  private static final double ALPHA = 1e-4;

  private static long supportFor(double sigmaSquared) {
    return (long) Math.ceil(40 * Math.sqrt(sigmaSquared)) + 10;
  }

  /**
   * Pearson χ² goodness of fit of {@code n} samples against the exact pmf of N_Z(0, σ²). α = 1e-4:
   * the critical value is the 1 − 1e-4 quantile of χ² with (bins − 1) degrees of freedom (bins
   * pooled to expect ≥ 5 samples each).
   */
  private static void assertChiSquareFits(Rational sigmaSquared, int n, long seed) {
    double s2 = sigmaSquared.doubleValue();
    long support = supportFor(s2);
    long[] samples = new DiscreteGaussian(new Random(seed)).samples(sigmaSquared, n);
    LongToDoubleFunction pmf = Stats.discreteGaussianPmf(s2, support);
    Stats.ChiSquare chi = Stats.chiSquare(samples, pmf, support);
    double critical = chi.criticalValue(ALPHA);
    assertTrue(
        chi.statistic() < critical,
        () -> String.format(
            "σ²=%s: χ²=%.2f with %d dof exceeds the α=1e-4 critical value %.2f",
            sigmaSquared, chi.statistic(), chi.degreesOfFreedom(), critical));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.5, 1, 10, 1000})
  void samples_100kAgainstExactPmf_passChiSquareAtAlpha1e4(double sigmaSquared) {
    assertChiSquareFits(Rational.exactly(sigmaSquared), 100_000, 20240501L);
  }

  /** The 10^6-sample version: excluded from the default build, run by CI's all-tests profile. */
  @Tag("slow")
  @ParameterizedTest
  @ValueSource(doubles = {0.5, 1, 10, 1000})
  void samples_millionAgainstExactPmf_passChiSquareAtAlpha1e4(double sigmaSquared) {
    assertChiSquareFits(Rational.exactly(sigmaSquared), 1_000_000, 7L);
  }

  /**
   * σ² = 1.1 is the dyadic 2476979795053773/2^51 and 7/3 is not dyadic at all: both have terms too
   * large for the long fast path, so this exercises the BigInteger path. α = 1e-4 as above.
   */
  @Test
  void samples_bigRationalSigmaSquared_passChiSquareAtAlpha1e4() {
    assertChiSquareFits(Rational.exactly(1.1), 100_000, 99L);
    assertChiSquareFits(
        Rational.of(BigInteger.valueOf(7).shiftLeft(80), BigInteger.valueOf(3).shiftLeft(80)),
        100_000,
        98L);
  }

  /**
   * Sample mean and variance of 10^5 draws at σ² = 10 against the exact moments of the pmf. Each
   * check has α = 1e-4 under the normal approximation: |mean| ≤ z·sqrt(Var/N) and |s² − Var| ≤
   * z·sqrt((μ4 − Var²)/N), z = 3.89.
   */
  @Test
  void samples_sigmaSquared10_meanAndVarianceMatchExactPmf() {
    int n = 100_000;
    double s2 = 10;
    long support = supportFor(s2);
    double[] m = Stats.moments(Stats.discreteGaussianPmf(s2, support), support);
    double[] x = Stats.toDoubles(new DiscreteGaussian(new Random(5)).samples(Rational.of(10, 1), n));
    double z = Stats.zCritical(ALPHA);
    assertEquals(0.0, Stats.mean(x), z * Math.sqrt(m[1] / n));
    assertEquals(m[1], Stats.variance(x), z * Math.sqrt((m[2] - m[1] * m[1]) / n));
  }

  @Test
  void addNoise_longVector_addsSamplesToInput() {
    long[] x = {0, 5, -7, Long.MAX_VALUE / 2, 42};
    long[] noisy = new DiscreteGaussian(new Random(3)).addNoise(x, 4.0);
    long[] noise = new DiscreteGaussian(new Random(3)).samples(Rational.of(4, 1), x.length);
    for (int i = 0; i < x.length; i++) {
      assertEquals(x[i] + noise[i], noisy[i]);
    }
    assertArrayEquals(new long[] {0, 5, -7, Long.MAX_VALUE / 2, 42}, x, "input untouched");
  }

  @Test
  void addNoise_intVector_addsSamplesToInput() {
    int[] x = {0, 1000, -1000};
    int[] noisy = new DiscreteGaussian(new Random(4)).addNoise(x, Rational.of(9, 2));
    long[] noise = new DiscreteGaussian(new Random(4)).samples(Rational.of(9, 2), x.length);
    for (int i = 0; i < x.length; i++) {
      assertEquals(x[i] + noise[i], noisy[i]);
    }
  }

  @Test
  void addNoise_intVectorAtMaxValue_throwsArithmeticException() {
    int[] x = new int[64];
    Arrays.fill(x, Integer.MAX_VALUE);
    // 64 draws at σ = 1000 are positive somewhere with probability 1 - 2^-64 (and for this seed).
    assertThrows(
        ArithmeticException.class,
        () -> new DiscreteGaussian(new Random(1)).addNoise(x, Rational.of(1_000_000, 1)));
  }

  @Test
  void samples_sameSeed_areReproducible() {
    long[] a = new DiscreteGaussian(new Random(11)).samples(Rational.of(1000, 1), 1000);
    long[] b = new DiscreteGaussian(new Random(11)).samples(Rational.of(1000, 1), 1000);
    assertArrayEquals(a, b);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -1.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY})
  void sample_badSigmaSquared_throwsTemplateMessage(double sigmaSquared) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new DiscreteGaussian().sample(sigmaSquared));
    assertEquals(
        "sigmaSquared must be > 0 and finite. Provided value: " + sigmaSquared, e.getMessage());
  }

  @Test
  void sample_nullSigmaSquared_throwsTemplateMessage() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new DiscreteGaussian().sample((Rational) null));
    assertEquals("sigmaSquared must be > 0 and finite. Provided value: null", e.getMessage());
  }

  @Test
  void sample_nonPositiveRational_throwsTemplateMessage() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new DiscreteGaussian().sample(Rational.of(-3, 2)));
    assertEquals("sigmaSquared must be > 0 and finite. Provided value: -3/2", e.getMessage());
  }

  @Test
  void sample_sigmaSquaredAbove2To100_throws() {
    Rational tooBig = Rational.of(BigInteger.ONE.shiftLeft(100).add(BigInteger.ONE), BigInteger.ONE);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new DiscreteGaussian().sample(tooBig));
    assertTrue(e.getMessage().startsWith("sigmaSquared must be at most 2^100"), e.getMessage());
  }

  @Test
  void addNoise_nullVector_throws() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new DiscreteGaussian().addNoise((long[]) null, Rational.of(1, 1)));
    assertEquals("x must not be null", e.getMessage());
  }

  @Test
  void samples_negativeCount_throws() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new DiscreteGaussian().samples(Rational.of(1, 1), -1));
  }
}
