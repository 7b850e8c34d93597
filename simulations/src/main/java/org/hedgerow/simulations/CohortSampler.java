package org.hedgerow.simulations;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.hedgerow.privacy.noise.NoiseSource;

/**
 * Draws a cross-device round's cohort: every one of {@code population} devices independently with
 * probability q (Poisson sampling, the sampling that {@code DpEvent.sampledGaussian} accounts for).
 *
 * <p>Under DP the coins must be secret — amplification by sampling assumes the adversary does not
 * know who was in the cohort — so they come from {@link NoiseSource} ({@code SecureRandom}, or the
 * research-only deterministic stream). Without DP they derive from the scenario seed, so a plain run
 * is reproducible like every other simulation.
 */
final class CohortSampler {
  private final int population;
  private final double samplingRate;
  private final boolean secret;
  private final long seed;

  CohortSampler(int population, double samplingRate, boolean secret, long seed) {
    if (population < 1) {
      throw new IllegalArgumentException("a cross-device federation needs at least one device");
    }
    if (!(samplingRate > 0 && samplingRate <= 1)) {
      throw new IllegalArgumentException("sampling rate must be in (0, 1]. Provided value: " + samplingRate);
    }
    this.population = population;
    this.samplingRate = samplingRate;
    this.secret = secret;
    this.seed = seed;
  }

  /** The device indices (ascending) sampled for {@code round}. */
  List<Integer> cohort(int round) {
    List<Integer> out = new ArrayList<>();
    if (samplingRate == 1.0) {
      for (int i = 0; i < population; i++) {
        out.add(i);
      }
      return out;
    }
    if (secret) {
      SecureRandom coins;
      try (var c = NoiseSource.context("cohort-round-" + round)) {
        coins = NoiseSource.random("poisson-sampling");
      }
      for (int i = 0; i < population; i++) {
        if (coins.nextDouble() < samplingRate) {
          out.add(i);
        }
      }
    } else {
      SplittableRandom coins = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + round);
      for (int i = 0; i < population; i++) {
        if (coins.nextDouble() < samplingRate) {
          out.add(i);
        }
      }
    }
    return out;
  }

  /** How the coins are drawn, for the report. */
  String describe() {
    return samplingRate == 1.0 ? "every device, every round"
        : "Poisson, q = " + samplingRate + ", coins from " + (secret
            ? (NoiseSource.isDeterministic() ? "the deterministic-noise stream (research only)" : "SecureRandom")
            : "the scenario seed (no DP)");
  }
}
