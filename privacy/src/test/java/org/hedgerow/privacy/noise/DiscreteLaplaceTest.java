package org.hedgerow.privacy.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DiscreteLaplaceTest {

  private static final double ALPHA = 1e-4;

  /**
   * Pearson χ² of 10^5 samples against the exact pmf ∝ exp(-|k|/scale). α = 1e-4: the critical
   * value is the 1 − 1e-4 quantile of χ² with (bins − 1) degrees of freedom.
   */
  @ParameterizedTest
  @ValueSource(strings = {"1/2", "1", "7/2", "100"})
  void samples_100kAgainstExactPmf_passChiSquareAtAlpha1e4(String scaleText) {
    String[] parts = scaleText.split("/");
    Rational scale =
        Rational.of(Long.parseLong(parts[0]), parts.length == 1 ? 1 : Long.parseLong(parts[1]));
    double b = scale.doubleValue();
    long support = (long) Math.ceil(60 * b) + 10;
    long[] samples = new DiscreteLaplace(new Random(17)).samples(scale, 100_000);
    LongToDoubleFunction pmf = Stats.discreteLaplacePmf(b);
    Stats.ChiSquare chi = Stats.chiSquare(samples, pmf, support);
    assertTrue(
        chi.statistic() < chi.criticalValue(ALPHA),
        () -> "χ²=" + chi.statistic() + " dof=" + chi.degreesOfFreedom());
  }

  /**
   * Mean 0 and variance 2p/(1−p)², p = exp(−1/scale), at scale 5 with 10^5 draws; each check has
   * α = 1e-4 under the normal approximation (z = 3.89).
   */
  @Test
  void samples_scale5_meanAndVarianceMatchExactPmf() {
    int n = 100_000;
    long support = 400;
    double[] m = Stats.moments(Stats.discreteLaplacePmf(5), support);
    double p = Math.exp(-1.0 / 5);
    assertEquals(2 * p / ((1 - p) * (1 - p)), m[1], 1e-9, "closed-form variance");
    double[] x = Stats.toDoubles(new DiscreteLaplace(new Random(8)).samples(Rational.of(5, 1), n));
    double z = Stats.zCritical(ALPHA);
    assertEquals(0.0, Stats.mean(x), z * Math.sqrt(m[1] / n));
    assertEquals(m[1], Stats.variance(x), z * Math.sqrt((m[2] - m[1] * m[1]) / n));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -2.0, Double.NaN, Double.POSITIVE_INFINITY})
  void sample_badScale_throwsTemplateMessage(double scale) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new DiscreteLaplace().sample(scale));
    assertEquals("scale must be > 0 and finite. Provided value: " + scale, e.getMessage());
  }

  @Test
  void sample_nullScale_throwsTemplateMessage() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new DiscreteLaplace().sample((Rational) null));
    assertEquals("scale must be > 0 and finite. Provided value: null", e.getMessage());
  }

  @Test
  void sample_termsTooLarge_throws() {
    Rational huge = Rational.of(BigInteger.ONE.shiftLeft(62).add(BigInteger.ONE), BigInteger.TWO);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new DiscreteLaplace().sample(huge));
    assertTrue(e.getMessage().startsWith("scale must be t/s in lowest terms"), e.getMessage());
  }
}
