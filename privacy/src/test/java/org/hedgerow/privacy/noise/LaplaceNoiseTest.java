package org.hedgerow.privacy.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LaplaceNoiseTest {

  private static final double ALPHA = 1e-4;

  @ParameterizedTest
  @ValueSource(doubles = {1e-2, 0.5, 2.0, 1e6})
  void addNoise_arbitraryInputs_outputsAreExactMultiplesOfGranularity(double epsilon) {
    double[] x = {0.1, -0.3, Math.PI, 1e-17, -123456.789, 1e300};
    double g = LaplaceNoise.granularity(1.0, epsilon);
    double[] y = new LaplaceNoise(new Random(1)).addNoise(x, 1.0, epsilon);
    for (int i = 0; i < y.length; i++) {
      double q = y[i] / g;
      assertEquals(Math.rint(q), q, "y[" + i + "]=" + y[i] + " g=" + g);
    }
  }

  @Test
  void granularity_scaleTwo_is2ToMinus39() {
    // b = Δ₁/ε = 2 = 2^1, so g = 2^(1 − 40).
    assertEquals(0x1.0p-39, LaplaceNoise.granularity(1.0, 0.5));
  }

  /**
   * 10^5 draws with b = Δ₁/ε = 2 on a zero input: mean 0 and variance 2b² = 8 (the grid is 2^-39,
   * so the discrete variance equals the continuous one to ~1e-23). Each check has α = 1e-4 (normal
   * approximation, z = 3.89); Var(s²) ≈ (μ4 − σ⁴)/N with μ4 = 24b⁴ for the Laplace law.
   */
  @Test
  void addNoise_zeroInput_meanAndVarianceMatchScale() {
    int n = 100_000;
    double b = 2.0;
    double[] y = new LaplaceNoise(new Random(21)).addNoise(new double[n], 1.0, 0.5);
    double z = Stats.zCritical(ALPHA);
    double variance = 2 * b * b;
    assertEquals(0.0, Stats.mean(y), z * Math.sqrt(variance / n));
    assertEquals(variance, Stats.variance(y), z * Math.sqrt((24 * Math.pow(b, 4) - 64) / n));
  }

  @Test
  void addNoise_input_isNotModified() {
    double[] x = {1.5, 2.5};
    new LaplaceNoise(new Random(2)).addNoise(x, 1.0, 1.0);
    assertArrayEquals(new double[] {1.5, 2.5}, x);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY})
  void addNoise_badEpsilon_throwsTemplateMessage(double epsilon) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new LaplaceNoise().addNoise(0.0, 1.0, epsilon));
    assertEquals("epsilon must be > 0 and finite. Provided value: " + epsilon, e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -1.0, Double.NaN, Double.NEGATIVE_INFINITY})
  void addNoise_badSensitivity_throwsTemplateMessage(double sensitivity) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LaplaceNoise().addNoise(0.0, sensitivity, 1.0));
    assertEquals(
        "l1Sensitivity must be > 0 and finite. Provided value: " + sensitivity, e.getMessage());
  }

  @Test
  void addNoise_scaleOverflows_throws() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new LaplaceNoise().addNoise(0.0, 1e300, 1e-300));
    assertTrue(e.getMessage().startsWith("l1Sensitivity / epsilon must be finite"), e.getMessage());
  }

  @Test
  void addNoise_nullVector_throws() {
    assertThrows(
        IllegalArgumentException.class, () -> new LaplaceNoise().addNoise(null, 1.0, 1.0));
  }
}
