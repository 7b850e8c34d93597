package org.hedgerow.coordinator.secagg;

import org.hedgerow.aggregation.secagg.DistributedDpEncoding;
import org.hedgerow.aggregation.secagg.DistributedDpTerms;
import org.hedgerow.aggregation.secagg.SecureSumEncoding;
import org.hedgerow.privacy.accounting.ComposedEvent;
import org.hedgerow.privacy.accounting.DistributedGaussianSum;
import org.hedgerow.privacy.accounting.GaussianEvent;
import org.hedgerow.privacy.accounting.NoiseCalibration;

/**
 * Distributed DP under secure aggregation: the federation's target and how each session's noise
 * shares are sized (see {@link DistributedDpEncoding} for what a silo sends and why its sensitivity
 * is what it is).
 *
 * <p><b>Calibration, per session</b> (n silos in the roster, threshold t, d parameters):
 * <ol>
 *   <li>z, the Gaussian noise multiplier per round such that every silo's planned spend — its two
 *       pre-training releases (item statistics σ_s, customer count σ_n) and {@code rounds} rounds of
 *       one unsampled release each — just fits {@code targetEpsilon} at δ, by the same accountant
 *       the silos' budgets use ({@link NoiseCalibration});
 *   <li>γ, the integer scale, so that rounding inflates the sensitivity by about
 *       {@code 1 + roundingInflation}: γηC = √d / roundingInflation; it is carried by the session's
 *       {@link SecureSumEncoding} (its clip is set to {@code (2^{bits−1} − 1)/(γW)}) so the decode is
 *       the ordinary one;
 *   <li>σ², each silo's share, from {@link DistributedGaussianSum#shareVarianceFor}: t shares — the
 *       fewest any unmasked sum contains — reach z for the sensitivity Δ = γηC + √d. With m &gt; t
 *       survivors the sum carries more noise than accounted (the accounting does not rely on it).
 * </ol>
 *
 * @param targetEpsilon ε every silo's run is calibrated to (its cap should be this)
 * @param delta δ
 * @param clipNorm C: per-customer gradient bound
 * @param learningRate η: the round's pseudo-delta is −η times the mean clipped gradient
 * @param roundingInflation √d/(γηC), &gt; 0; default 0.01
 * @param statsNoiseMultiplier σ_s of the silos' item-statistics release (their default 4)
 * @param countNoiseMultiplier σ_n of the silos' customer-count release (their default 10)
 * @param rounds rounds the target is spread over
 */
public record DistributedDpOptions(double targetEpsilon, double delta, double clipNorm, double learningRate,
    double roundingInflation, double statsNoiseMultiplier, double countNoiseMultiplier, int rounds) {
  public static final double DEFAULT_ROUNDING_INFLATION = 0.01;
  public static final double DEFAULT_CLIP_NORM = 1.0;
  public static final double DEFAULT_LEARNING_RATE = 1.0;
  /** The silos' defaults ({@code DpConfig} in edge-client); a silo with other releases checks its own budget. */
  public static final double DEFAULT_STATS_NOISE_MULTIPLIER = 4;
  public static final double DEFAULT_COUNT_NOISE_MULTIPLIER = 10;

  public DistributedDpOptions {
    check(targetEpsilon > 0 && Double.isFinite(targetEpsilon), "distributed DP epsilon must be > 0 and finite",
        targetEpsilon);
    check(delta > 0 && delta < 1, "delta must be in (0, 1)", delta);
    check(clipNorm > 0 && Double.isFinite(clipNorm), "clip norm must be > 0 and finite", clipNorm);
    check(learningRate > 0 && Double.isFinite(learningRate), "distributed DP learning rate must be > 0 and finite",
        learningRate);
    check(roundingInflation > 0 && roundingInflation <= 1, "rounding inflation must be in (0, 1]", roundingInflation);
    check(statsNoiseMultiplier >= 0 && countNoiseMultiplier >= 0 && Double.isFinite(statsNoiseMultiplier)
        && Double.isFinite(countNoiseMultiplier), "release noise multipliers must be >= 0 and finite (0: none)",
        statsNoiseMultiplier + ", " + countNoiseMultiplier);
    check(rounds >= 1, "rounds must be >= 1", rounds);
  }

  /** Defaults around a target ε, δ and the rounds. */
  public static DistributedDpOptions of(double targetEpsilon, double delta, int rounds) {
    return new DistributedDpOptions(targetEpsilon, delta, DEFAULT_CLIP_NORM, DEFAULT_LEARNING_RATE,
        DEFAULT_ROUNDING_INFLATION, DEFAULT_STATS_NOISE_MULTIPLIER, DEFAULT_COUNT_NOISE_MULTIPLIER, rounds);
  }

  public DistributedDpOptions withRounds(int r) {
    return new DistributedDpOptions(targetEpsilon, delta, clipNorm, learningRate, roundingInflation,
        statsNoiseMultiplier, countNoiseMultiplier, r);
  }

  /** z per round (step 1 of the class comment). */
  public double noiseMultiplier() {
    if (statsNoiseMultiplier > 0 && countNoiseMultiplier > 0) {
      return NoiseCalibration.noiseMultiplierFor(targetEpsilon, delta, 1.0, rounds,
          new ComposedEvent(java.util.List.of(new GaussianEvent(statsNoiseMultiplier),
              new GaussianEvent(countNoiseMultiplier))));
    }
    return NoiseCalibration.noiseMultiplierFor(targetEpsilon, delta, 1.0, rounds);
  }

  /** The session's secure-sum encoding: {@code base}'s bits and weight cap, its clip set so that 1/(step·W) = γ. */
  public SecureSumEncoding sumEncoding(SecureSumEncoding base, int parameters) {
    double gamma = Math.sqrt(parameters) / (roundingInflation * learningRate * clipNorm);
    double clip = ((1L << (base.bits() - 1)) - 1) / (gamma * base.weightCap());
    return new SecureSumEncoding(clip, base.bits(), base.weightCap());
  }

  /** The announced terms for a session of n silos with threshold t, on the encoding from {@link #sumEncoding}. */
  public DistributedDpTerms terms(SecureSumEncoding encoding, int n, int t, int parameters) {
    DistributedDpTerms shape = new DistributedDpTerms(1, clipNorm, learningRate, t, n, targetEpsilon, delta, rounds);
    double sensitivity = new DistributedDpEncoding(encoding, shape, parameters).l2Sensitivity();
    double variance = DistributedGaussianSum.shareVarianceFor(noiseMultiplier(), sensitivity, t, n, parameters);
    return new DistributedDpTerms(variance, clipNorm, learningRate, t, n, targetEpsilon, delta, rounds);
  }

  private static void check(boolean ok, String what, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(what + ". Provided value: " + value);
    }
  }
}
