package org.hedgerow.edge.dp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hedgerow.privacy.accounting.ComposedEvent;
import org.hedgerow.privacy.accounting.DpEvent;
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
 * @param statsNoiseMultiplier σ_s of the silo's DP item statistics ({@link SiloRelease}), one
 *     Gaussian release of L2 sensitivity 1 charged before training; 0 when no release is made
 *     (unit tests of the trainer alone)
 * @param countNoiseMultiplier σ_n of the silo's DP customer count ({@link SiloRelease}); 0 when
 *     no release is made
 */
public record DpConfig(double noiseMultiplier, double clipNorm, double sampleRate, int stepsPerRound,
    double learningRate, double epsilonCap, double delta, double statsNoiseMultiplier, double countNoiseMultiplier) {

  /** Default σ_s of the item statistics. */
  public static final double DEFAULT_STATS_NOISE_MULTIPLIER = 4;
  /** Default σ_n of the customer count (in customers; it only scales steps and FedAvg weights). */
  public static final double DEFAULT_COUNT_NOISE_MULTIPLIER = 10;

  public DpConfig {
    check(noiseMultiplier > 0 && Double.isFinite(noiseMultiplier), "noise multiplier must be > 0 and finite",
        noiseMultiplier);
    check(clipNorm > 0 && Double.isFinite(clipNorm), "clip norm must be > 0 and finite", clipNorm);
    check(sampleRate > 0 && sampleRate <= 1, "sample rate must be in (0, 1]", sampleRate);
    check(stepsPerRound >= 1, "DP steps per round must be >= 1", stepsPerRound);
    check(learningRate > 0 && Double.isFinite(learningRate), "DP learning rate must be > 0 and finite", learningRate);
    PrivacyBudget.checkCap(epsilonCap);
    PrivacyBudget.checkDelta(delta);
    checkRelease("stats noise multiplier", statsNoiseMultiplier);
    checkRelease("count noise multiplier", countNoiseMultiplier);
    check((statsNoiseMultiplier > 0) == (countNoiseMultiplier > 0),
        "stats and count noise multipliers must be both > 0 (a silo release) or both 0 (none)",
        statsNoiseMultiplier + ", " + countNoiseMultiplier);
  }

  /** Settings without a silo release (the trainer alone, in unit tests). */
  public DpConfig(double noiseMultiplier, double clipNorm, double sampleRate, int stepsPerRound, double learningRate,
      double epsilonCap, double delta) {
    this(noiseMultiplier, clipNorm, sampleRate, stepsPerRound, learningRate, epsilonCap, delta, 0, 0);
  }

  private static void checkRelease(String what, double v) {
    check(v == 0 || (v > 0 && Double.isFinite(v)), what + " must be > 0 and finite (0: no release)", v);
  }

  /** Whether the silo makes its pre-training release ({@link SiloRelease}) and is charged for it. */
  public boolean releases() {
    return statsNoiseMultiplier > 0;
  }

  private static void check(boolean ok, String what, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(what + ". Provided value: " + value);
    }
  }

  /** The DP events of the silo release these settings make (empty without one), in charge order. */
  public List<DpEvent> releaseEvents() {
    List<DpEvent> events = new ArrayList<>();
    if (releases()) {
      events.add(new GaussianEvent(statsNoiseMultiplier));
      events.add(new GaussianEvent(countNoiseMultiplier));
    }
    return events;
  }

  /**
   * The smallest σ (to within {@link NoiseCalibration}'s bisection step) with which the silo release
   * (if σ_s, σ_n &gt; 0) plus {@code rounds} rounds of {@code stepsPerRound} steps at rate q spend at
   * most the cap by the accountant the budget uses — the planned run just fits.
   *
   * @throws IllegalArgumentException if a parameter is bad or the release alone spends the cap
   */
  public static DpConfig calibrated(double clipNorm, double sampleRate, int stepsPerRound, double learningRate,
      double epsilonCap, double delta, int rounds, double statsNoiseMultiplier, double countNoiseMultiplier) {
    DpConfig shape = new DpConfig(1, clipNorm, sampleRate, stepsPerRound, learningRate, epsilonCap, delta,
        statsNoiseMultiplier, countNoiseMultiplier);
    return shape.calibratedAfter(shape.releaseEvents(), rounds);
  }

  /**
   * These settings with σ recalibrated so that {@code spent} (what the silo's budget already holds,
   * e.g. after a restart: its releases and earlier rounds) plus {@code remainingRounds} more rounds fit
   * the cap. σ never changes what was spent; only the rounds still to come use it.
   *
   * @throws IllegalArgumentException if remainingRounds &lt; 1 or {@code spent} alone reaches the cap
   */
  public DpConfig calibratedAfter(List<DpEvent> spent, int remainingRounds) {
    check(remainingRounds >= 1, "rounds must be >= 1", remainingRounds);
    long steps = (long) remainingRounds * stepsPerRound;
    double sigma = spent.isEmpty()
        ? NoiseCalibration.noiseMultiplierFor(epsilonCap, delta, sampleRate, steps)
        : NoiseCalibration.noiseMultiplierFor(epsilonCap, delta, sampleRate, steps,
            spent.size() == 1 ? spent.get(0) : new ComposedEvent(spent));
    return new DpConfig(sigma, clipNorm, sampleRate, stepsPerRound, learningRate, epsilonCap, delta,
        statsNoiseMultiplier, countNoiseMultiplier);
  }

  /** A new, empty budget for {@code silo} with this cap and δ. */
  public PrivacyBudget budget(String silo) {
    return new PrivacyBudget(silo, epsilonCap, delta);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "sigma %.6g, clip %.6g, q %.6g, %d steps/round, lr %.6g, cap %.6g, delta %.3g, release %s", noiseMultiplier,
        clipNorm, sampleRate, stepsPerRound, learningRate, epsilonCap, delta,
        releases() ? String.format(Locale.ROOT, "item stats sigma %.6g, count sigma %.6g", statsNoiseMultiplier,
            countNoiseMultiplier) : "none");
  }
}
