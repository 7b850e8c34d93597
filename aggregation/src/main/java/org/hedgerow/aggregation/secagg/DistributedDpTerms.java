package org.hedgerow.aggregation.secagg;

/**
 * What a coordinator announces for a round of distributed DP (in the session's
 * {@code config.secure_aggregation.distributed_dp}), and what a silo checks before it contributes.
 * The silo recomputes everything privacy depends on — the sensitivity and the effective noise
 * multiplier — from these numbers and the session's own n and t ({@link DistributedDpEncoding});
 * the announced target is for display only.
 *
 * @param shareVariance σ² of each silo's discrete Gaussian share, integer units (≥ 1/4)
 * @param clipNorm C: the L2 bound on one customer's gradient
 * @param learningRate η: the decoded mean is −η times the mean clipped gradient
 * @param minSurvivors t: the session's threshold; no sum of fewer inputs is unmasked
 * @param maxContributors n: the session's roster size
 * @param targetEpsilon the ε the coordinator calibrated σ² for (over {@code rounds} rounds)
 * @param delta δ of that target
 * @param rounds the rounds of the calibration
 */
public record DistributedDpTerms(double shareVariance, double clipNorm, double learningRate, int minSurvivors,
    int maxContributors, double targetEpsilon, double delta, int rounds) {
  /** JSON keys of the announcement. */
  public static final String SHARE_VARIANCE = "share_variance";
  public static final String CLIP_NORM = "clip_norm";
  public static final String LEARNING_RATE = "learning_rate";
  public static final String MIN_SURVIVORS = "min_survivors";
  public static final String MAX_CONTRIBUTORS = "max_contributors";
  public static final String TARGET_EPSILON = "target_epsilon";
  public static final String DELTA = "delta";
  public static final String ROUNDS = "rounds";

  public DistributedDpTerms {
    check(shareVariance >= 0.25 && Double.isFinite(shareVariance), SHARE_VARIANCE + " must be >= 1/4 and finite",
        shareVariance);
    check(clipNorm > 0 && Double.isFinite(clipNorm), CLIP_NORM + " must be > 0 and finite", clipNorm);
    check(learningRate > 0 && Double.isFinite(learningRate), LEARNING_RATE + " must be > 0 and finite", learningRate);
    check(minSurvivors >= 1, MIN_SURVIVORS + " must be >= 1", minSurvivors);
    check(maxContributors >= minSurvivors, MAX_CONTRIBUTORS + " must be >= " + MIN_SURVIVORS + " (" + minSurvivors + ")",
        maxContributors);
    check(targetEpsilon > 0 && Double.isFinite(targetEpsilon), TARGET_EPSILON + " must be > 0 and finite", targetEpsilon);
    check(delta > 0 && delta < 1, DELTA + " must be in (0, 1)", delta);
    check(rounds >= 1, ROUNDS + " must be >= 1", rounds);
  }

  private static void check(boolean ok, String what, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("distributed DP: " + what + ". Provided value: " + value);
    }
  }
}
