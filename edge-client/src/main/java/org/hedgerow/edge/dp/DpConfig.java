package org.hedgerow.edge.dp;

import java.util.Locale;
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
 */
public record DpConfig(double noiseMultiplier, double clipNorm, double sampleRate, int stepsPerRound,
    double learningRate, double epsilonCap, double delta) {

  public DpConfig {
    check(noiseMultiplier > 0 && Double.isFinite(noiseMultiplier), "noise multiplier must be > 0 and finite",
        noiseMultiplier);
    check(clipNorm > 0 && Double.isFinite(clipNorm), "clip norm must be > 0 and finite", clipNorm);
    check(sampleRate > 0 && sampleRate <= 1, "sample rate must be in (0, 1]", sampleRate);
    check(stepsPerRound >= 1, "DP steps per round must be >= 1", stepsPerRound);
    check(learningRate > 0 && Double.isFinite(learningRate), "DP learning rate must be > 0 and finite", learningRate);
    PrivacyBudget.checkCap(epsilonCap);
    PrivacyBudget.checkDelta(delta);
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
    PrivacyBudget.checkCap(epsilonCap);
    PrivacyBudget.checkDelta(delta);
    check(sampleRate > 0 && sampleRate <= 1, "sample rate must be in (0, 1]", sampleRate);
    check(stepsPerRound >= 1, "DP steps per round must be >= 1", stepsPerRound);
    check(rounds >= 1, "rounds must be >= 1", rounds);
    double sigma = NoiseCalibration.noiseMultiplierFor(epsilonCap, delta, sampleRate, (long) rounds * stepsPerRound);
    return new DpConfig(sigma, clipNorm, sampleRate, stepsPerRound, learningRate, epsilonCap, delta);
  }

  /** A new budget for {@code silo} with this cap and δ. */
  public PrivacyBudget budget(String silo) {
    return new PrivacyBudget(silo, epsilonCap, delta);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "sigma %.6g, clip %.6g, q %.6g, %d steps/round, lr %.6g, cap %.6g, delta %.3g",
        noiseMultiplier, clipNorm, sampleRate, stepsPerRound, learningRate, epsilonCap, delta);
  }
}
