package org.hedgerow.privacy.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class ExactBernoulliTest {

  private static final int N = 200_000;

  /**
   * Success frequency of N trials against p: |f − p| ≤ z·sqrt(p(1−p)/N) with z for a two-sided α =
   * 1e-4 (normal approximation to the binomial).
   */
  private static void assertFrequency(double p, BooleanSupplier trial) {
    int hits = 0;
    for (int i = 0; i < N; i++) {
      if (trial.getAsBoolean()) {
        hits++;
      }
    }
    double tolerance = Stats.zCritical(1e-4) * Math.sqrt(p * (1 - p) / N);
    assertEquals(p, (double) hits / N, tolerance);
  }

  @Test
  void bernoulli_oneThird_hitsOneThird() {
    RandomBits bits = new RandomBits(new Random(1), N);
    assertFrequency(1.0 / 3, () -> ExactBernoulli.bernoulli(bits, 1, 3));
  }

  @Test
  void bernoulli_bigIntegerTerms_hitsRatio() {
    RandomBits bits = new RandomBits(new Random(2), N);
    BigInteger den = BigInteger.TEN.pow(40);
    BigInteger num = den.multiply(BigInteger.valueOf(7)).divide(BigInteger.TEN);
    assertFrequency(0.7, () -> ExactBernoulli.bernoulli(bits, num, den));
  }

  @Test
  void bernoulli_edgeProbabilities_areCertain() {
    RandomBits bits = new RandomBits(new Random(3), 10);
    for (int i = 0; i < 100; i++) {
      assertFalse(ExactBernoulli.bernoulli(bits, 0, 5));
      assertTrue(ExactBernoulli.bernoulli(bits, 5, 5));
    }
  }

  @Test
  void expMinus_fractionalGamma_hitsExpMinusGamma() {
    RandomBits bits = new RandomBits(new Random(4), N);
    assertFrequency(Math.exp(-0.5), () -> ExactBernoulli.expMinus(bits, 1, 2));
  }

  @Test
  void expMinus_gammaAboveOne_hitsExpMinusGamma() {
    RandomBits bits = new RandomBits(new Random(5), N);
    assertFrequency(Math.exp(-2.3), () -> ExactBernoulli.expMinus(bits, 23, 10));
  }

  @Test
  void expMinus_bigIntegerGamma_hitsExpMinusGamma() {
    RandomBits bits = new RandomBits(new Random(6), N);
    BigInteger den = BigInteger.ONE.shiftLeft(100);
    BigInteger num = den.multiply(BigInteger.valueOf(13)).divide(BigInteger.TEN); // γ = 1.3
    assertFrequency(Math.exp(-1.3), () -> ExactBernoulli.expMinus(bits, num, den));
  }

  @Test
  void uniform_smallBound_coversEachValueEvenly() {
    // χ² with 6 cells (5 dof); α = 1e-4, critical value 25.74.
    RandomBits bits = new RandomBits(new Random(7), N);
    long[] counts = new long[6];
    for (int i = 0; i < N; i++) {
      counts[(int) bits.uniform(6)]++;
    }
    double expected = N / 6.0;
    double chi = 0;
    for (long c : counts) {
      chi += (c - expected) * (c - expected) / expected;
    }
    assertTrue(chi < new Stats.ChiSquare(0, 5).criticalValue(1e-4), "χ²=" + chi);
  }
}
