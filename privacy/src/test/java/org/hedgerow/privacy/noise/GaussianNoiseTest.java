package org.hedgerow.privacy.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GaussianNoiseTest {

  private static final double ALPHA = 1e-4;

  private static boolean isMultipleOf(double value, double granularity) {
    double q = value / granularity; // exact: granularity is a power of two
    return q == Math.rint(q);
  }

  @ParameterizedTest
  @ValueSource(doubles = {1e-3, 0.7, 1.0, 3.0, 1234.5678, 1e12})
  void granularity_anySigma_isPowerOfTwo2To40To2To41BelowSigma(double sigma) {
    double g = GaussianNoise.granularity(sigma);
    assertEquals(0L, Double.doubleToLongBits(g) & 0x000f_ffff_ffff_ffffL, "power of two");
    assertTrue(sigma / g >= 0x1.0p40 && sigma / g < 0x1.0p41, "σ/g=" + sigma / g);
  }

  @ParameterizedTest
  @ValueSource(doubles = {1e-3, 0.7, 3.0, 1234.5678})
  void addNoise_arbitraryInputs_outputsAreExactMultiplesOfGranularity(double sigma) {
    double[] x = {0.1, -0.3, Math.PI, 1e-17, -123456.789, 0x1.fffffffffffffp10, 1e300, -1e-300};
    double g = GaussianNoise.granularity(sigma);
    double[] y = new GaussianNoise(new Random(1)).addNoise(x, sigma);
    for (int i = 0; i < y.length; i++) {
      assertTrue(isMultipleOf(y[i], g), "y[" + i + "]=" + y[i] + " g=" + g);
    }
  }

  /**
   * Mironov's attack reads the input from the low bits of the output. Two inputs that round to the
   * same grid point must give bit-identical outputs for the same random draws, so no low-order bit
   * of the input survives.
   */
  @Test
  void addNoise_inputsRoundingToSameGridPoint_giveIdenticalOutputs() {
    double sigma = 1.0;
    double g = GaussianNoise.granularity(sigma);
    double a = 0.3;
    double b = Math.nextUp(Math.nextUp(0.3));
    assertNotEquals(a, b);
    assertEquals(Math.rint(a / g), Math.rint(b / g), "same grid point (test premise)");
    double[] ya = new GaussianNoise(new Random(9)).addNoise(new double[] {a, a, a}, sigma);
    double[] yb = new GaussianNoise(new Random(9)).addNoise(new double[] {b, b, b}, sigma);
    assertArrayEquals(ya, yb);
  }

  /**
   * 10^5 draws at σ = 3 on a zero input: the sample mean and variance must match N(0, 9). Each
   * check has α = 1e-4 (normal approximation, z = 3.89): |mean| ≤ z·σ/√N, |s² − σ²| ≤ z·σ²·√(2/N).
   */
  @Test
  void addNoise_zeroInput_meanAndVarianceMatchSigma() {
    int n = 100_000;
    double sigma = 3.0;
    double[] y = new GaussianNoise(new Random(12)).addNoise(new double[n], sigma);
    double z = Stats.zCritical(ALPHA);
    assertEquals(0.0, Stats.mean(y), z * sigma / Math.sqrt(n));
    assertEquals(sigma * sigma, Stats.variance(y), z * sigma * sigma * Math.sqrt(2.0 / n));
  }

  @Test
  void addNoise_input_isNotModifiedAndNoiseIsCentredOnIt() {
    double[] x = {10.0, -10.0};
    double[] y = new GaussianNoise(new Random(2)).addNoise(x, 1e-6);
    assertArrayEquals(new double[] {10.0, -10.0}, x);
    // With σ = 1e-6, exceeding 1e-4 would be a 100σ event.
    assertEquals(10.0, y[0], 1e-4);
    assertEquals(-10.0, y[1], 1e-4);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY})
  void addNoise_badSigma_throwsTemplateMessage(double sigma) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new GaussianNoise().addNoise(new double[] {1.0}, sigma));
    assertEquals("sigma must be > 0 and finite. Provided value: " + sigma, e.getMessage());
  }

  @Test
  void addNoise_sigmaBelowGridRange_throws() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new GaussianNoise().addNoise(1.0, 1e-300));
    assertTrue(e.getMessage().startsWith("sigma must be at least 2^-980"), e.getMessage());
  }

  @Test
  void addNoise_nullVector_throws() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new GaussianNoise().addNoise(null, 1.0));
    assertEquals("x must not be null", e.getMessage());
  }

  @Test
  void addNoise_nanEntry_throws() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new GaussianNoise().addNoise(new double[] {0, Double.NaN}, 1.0));
    assertEquals("x[1] must be finite. Provided value: NaN", e.getMessage());
  }
}
