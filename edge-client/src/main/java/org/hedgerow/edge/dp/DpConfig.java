package org.hedgerow.edge.dp;

import java.util.Locale;
import org.hedgerow.privacy.accounting.GaussianEvent;
import org.hedgerow.privacy.accounting.NoiseCalibration;
import org.hedgerow.privacy.budget.PrivacyBudget;

/**
 * User-level DP training settings of one silo (see {@link UserLevelDpTrainer}) and its budget.
 *
 * @param noiseMultiplier σ: the noise added to each step's sum has standard deviation σ·C
 * @param clipNorm C: the L2 bound on one customer's contribution to a step
 * @param sampleRate q: each customer is in a step's sample independently with probability q
 * @param stepsPerRound noisy steps a silo takes per federated round
 * @param learningRate Adam step size applied to the noisy gradients
 * @param epsilonCap the silo's cap on ε (per customer, over the whole run)
 * @param delta the silo's δ
 * @param statsNoiseMultiplier σ_s of the silo's DP item statistics ({@code ItemStats.privatised}),
 *     one Gaussian release of L2 sensitivity 1 charged to the budget before training; 0 when the
 *     statistics are not computed from the silo's customers (treated as public) and nothing is
 *     charged for them
 */
public record DpConfig(double noiseMultiplier, double clipNorm, double sampleRate, int stepsPerRound,
    double learningRate, double epsilonCap, double delta, double statsNoiseMultiplier) {

  /** Ledger name of the item-statistics release. */
  public static final String STATS_RELEASE = "silo-stats-gaussian";

  public DpConfig {
    check(noiseMultiplier > 0 && Double.isFinite(noiseMultiplier), "noise multiplier must be > 0 and finite",
        noiseMultiplier);
    check(clipNorm > 0 && Double.isFinite(clipNorm), "clip norm must be > 0 and finite", clipNorm);
    check(sampleRate > 0 && sampleRate <= 1, "sample rate must be in (0, 1]", sampleRate);
    check(stepsPerRound >= 1, "DP steps per round must be >= 1", stepsPerRound);
    check(learningRate > 0 && Double.isFinite(learningRate), "DP learning rate must be > 0 and finite", learningRate);
    PrivacyBudget.checkCap(epsilonCap);
    PrivacyBudget.checkDelta(delta);
    checkStats(statsNoiseMultiplier);
  }

  /** Settings without an item-statistics release (statistics treated as public inputs). */
  public DpConfig(double noiseMultiplier, double clipNorm, double sampleRate, int stepsPerRound, double learningRate,
      double epsilonCap, double delta) {
    this(noiseMultiplier, clipNorm, sampleRate, stepsPerRound, learningRate, epsilonCap, delta, 0);
  }

  private static void checkStats(double statsNoiseMultiplier) {
    check(statsNoiseMultiplier == 0 || (statsNoiseMultiplier > 0 && Double.isFinite(statsNoiseMultiplier)),
        "stats noise multiplier must be > 0 and finite (0: no statistics release)", statsNoiseMultiplier);
  }

  /** Whether the budget is charged for a DP item-statistics release before training. */
  public boolean privatisedStats() {
    return statsNoiseMultiplier > 0;
  }

  private static void check(boolean ok, String what, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(what + ". Provided value: " + value);
    }
  }

  /**
   * The smallest σ (to within {@link NoiseCalibration}'s bisection step) with which {@code rounds}
   * rounds of {@code stepsPerRound} steps at sampling rate q spend at most the cap — the planned run
   * just fits, so no silo runs out early.
   */
  public static DpConfig calibrated(double clipNorm, double sampleRate, int stepsPerRound, double learningRate,
      double epsilonCap, double delta, int rounds) {
    return calibrated(clipNorm, sampleRate, stepsPerRound, learningRate, epsilonCap, delta, rounds, 0);
  }

  /**
   * As above, with the item-statistics release σ_s (if &gt; 0) composed before the planned steps:
   * σ is the smallest with which the release plus {@code rounds·stepsPerRound} steps fit the cap,
   * so the planned run still just fits by the same accountant the budget uses.
   *
   * @throws IllegalArgumentException if a parameter is bad or the release alone spends the cap
   */
  public static DpConfig calibrated(double clipNorm, double sampleRate, int stepsPerRound, double learningRate,
      double epsilonCap, double delta, int rounds, double statsNoiseMultiplier) {
    checkStats(statsNoiseMultiplier);
    PrivacyBudget.checkCap(epsilonCap);
    PrivacyBudget.checkDelta(delta);
    check(sampleRate > 0 && sampleRate <= 1, "sample rate must be in (0, 1]", sampleRate);
    check(stepsPerRound >= 1, "DP steps per round must be >= 1", stepsPerRound);
    check(rounds >= 1, "rounds must be >= 1", rounds);
    long steps = (long) rounds * stepsPerRound;
    double sigma = statsNoiseMultiplier > 0
        ? NoiseCalibration.noiseMultiplierFor(epsilonCap, delta, sampleRate, steps, new GaussianEvent(statsNoiseMultiplier))
        : NoiseCalibration.noiseMultiplierFor(epsilonCap, delta, sampleRate, steps);
    return new DpConfig(sigma, clipNorm, sampleRate, stepsPerRound, learningRate, epsilonCap, delta,
        statsNoiseMultiplier);
  }

  /**
   * A new budget for {@code silo} with this cap and δ. With {@link #privatisedStats()} the
   * item-statistics release is already charged: the silo computed them (with this σ_s) before it
   * trains, so every ε the budget reports includes them.
   */
  public PrivacyBudget budget(String silo) {
    PrivacyBudget b = new PrivacyBudget(silo, epsilonCap, delta);
    if (privatisedStats()) {
      b.chargeGaussianRelease(STATS_RELEASE, statsNoiseMultiplier);
    }
    return b;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "sigma %.6g, clip %.6g, q %.6g, %d steps/round, lr %.6g, cap %.6g, delta %.3g, item stats %s", noiseMultiplier,
        clipNorm, sampleRate, stepsPerRound, learningRate, epsilonCap, delta,
        privatisedStats() ? String.format(Locale.ROOT, "DP (sigma %.6g)", statsNoiseMultiplier) : "public");
  }
}
