package org.hedgerow.privacy.clipping;

import java.util.function.DoubleSupplier;
import org.hedgerow.privacy.accounting.GaussianEvent;
import org.hedgerow.privacy.noise.GaussianNoise;

/**
 * Adaptive clipping to a target quantile of the update norms (Andrew, Thakkar, McMahan,
 * Ramaswamy 2021, "Differentially Private Learning with Adaptive Clipping", NeurIPS 2021).
 *
 * <p>Each round every participating client reports one bit b_i = [‖Δ_i‖₂ ≤ C]. The server forms
 * the privately noised fraction of unclipped updates
 *
 * <pre>  b̃ = 1/2 + (Σ_i (b_i − 1/2) + N(0, σ_b²)) / m</pre>
 *
 * where m is the expected number of clients per round, and moves the clip geometrically towards
 * the target quantile γ:
 *
 * <pre>  C ← C · exp(−η (b̃ − γ)).</pre>
 *
 * Centring the bits at 1/2 (as TensorFlow Privacy does) halves the sensitivity of the count to
 * 1/2, so the count query is a Gaussian mechanism with noise multiplier 2σ_b ({@link
 * #countEvent()}). To keep the overall guarantee of a non-adaptive run with noise multiplier z,
 * the update sum must use {@link #valueNoiseMultiplier(double, double) z_Δ = (z⁻² −
 * (2σ_b)⁻²)^(−1/2)} (the paper's Section 3.1): the two Gaussian queries compose to exactly z.
 *
 * <p>The paper recommends γ = 0.5 (clip to the median), η = 0.2 and σ_b = m/20. The count noise
 * comes from {@link GaussianNoise} (grid-snapped, exact discrete Gaussian).
 *
 * <p>Immutable; the clip norm is passed in and returned, so callers own the state.
 */
public final class AdaptiveQuantileClipping {

  private final double targetQuantile;
  private final double learningRate;
  private final double countNoiseStddev;
  private final double expectedClientsPerRound;
  private final DoubleSupplier countNoise;

  /**
   * @param targetUnclippedQuantile γ in [0, 1]: the fraction of updates that should go unclipped
   * @param learningRate η > 0 for the geometric update
   * @param countNoiseStddev σ_b > 0: the standard deviation of the noise on the count
   * @param expectedClientsPerRound m > 0: the normaliser of the count
   */
  public AdaptiveQuantileClipping(
      double targetUnclippedQuantile,
      double learningRate,
      double countNoiseStddev,
      double expectedClientsPerRound) {
    this(
        targetUnclippedQuantile,
        learningRate,
        countNoiseStddev,
        expectedClientsPerRound,
        secureNoise(countNoiseStddev));
  }

  /** Seam for deterministic tests: {@code countNoise} supplies the N(0, σ_b²) draws. */
  AdaptiveQuantileClipping(
      double targetUnclippedQuantile,
      double learningRate,
      double countNoiseStddev,
      double expectedClientsPerRound,
      DoubleSupplier countNoise) {
    if (!(targetUnclippedQuantile >= 0 && targetUnclippedQuantile <= 1)) {
      throw new IllegalArgumentException(
          "targetUnclippedQuantile must be in [0, 1]. Provided value: " + targetUnclippedQuantile);
    }
    ClippingChecks.checkPositiveFinite("learningRate", learningRate);
    ClippingChecks.checkPositiveFinite("countNoiseStddev", countNoiseStddev);
    ClippingChecks.checkPositiveFinite("expectedClientsPerRound", expectedClientsPerRound);
    this.targetQuantile = targetUnclippedQuantile;
    this.learningRate = learningRate;
    this.countNoiseStddev = countNoiseStddev;
    this.expectedClientsPerRound = expectedClientsPerRound;
    this.countNoise = countNoise;
  }

  private static DoubleSupplier secureNoise(double stddev) {
    ClippingChecks.checkPositiveFinite("countNoiseStddev", stddev);
    GaussianNoise noise = new GaussianNoise();
    return () -> noise.addNoise(0.0, stddev);
  }

  /**
   * b̃ from the sum of the clients' bits (what a secure aggregate of the bits reveals).
   *
   * @param unclippedCount Σ b_i, the number of clients with ‖Δ_i‖₂ ≤ C
   * @param clientCount the number of clients that reported this round
   */
  public double noisedUnclippedFraction(long unclippedCount, long clientCount) {
    if (clientCount < 0 || unclippedCount < 0 || unclippedCount > clientCount) {
      throw new IllegalArgumentException(
          String.format(
              "need 0 <= unclippedCount <= clientCount. Provided values: %d, %d",
              unclippedCount, clientCount));
    }
    double centredSum = unclippedCount - clientCount / 2.0;
    return 0.5 + (centredSum + countNoise.getAsDouble()) / expectedClientsPerRound;
  }

  /** b̃ for the given update norms against the current clip C. */
  public double noisedUnclippedFraction(double clipNorm, double[] updateNorms) {
    ClippingChecks.checkPositiveFinite("clipNorm", clipNorm);
    ClippingChecks.checkVector("updateNorms", updateNorms);
    long unclipped = 0;
    for (double norm : updateNorms) {
      if (norm <= clipNorm) {
        unclipped++;
      }
    }
    return noisedUnclippedFraction(unclipped, updateNorms.length);
  }

  /** The geometric step C · exp(−η (b̃ − γ)). */
  public double nextClipNorm(double clipNorm, double noisedUnclippedFraction) {
    ClippingChecks.checkPositiveFinite("clipNorm", clipNorm);
    if (!Double.isFinite(noisedUnclippedFraction)) {
      throw new IllegalArgumentException(
          "noisedUnclippedFraction must be finite. Provided value: " + noisedUnclippedFraction);
    }
    return clipNorm * Math.exp(-learningRate * (noisedUnclippedFraction - targetQuantile));
  }

  /** One round: the noised fraction for these norms, then the geometric step. */
  public double update(double clipNorm, double[] updateNorms) {
    return nextClipNorm(clipNorm, noisedUnclippedFraction(clipNorm, updateNorms));
  }

  /** The count query as a DP event: a Gaussian with noise multiplier 2σ_b (sensitivity 1/2). */
  public GaussianEvent countEvent() {
    return new GaussianEvent(2 * countNoiseStddev);
  }

  /**
   * The noise multiplier z_Δ for the update sum such that it and the count query together are as
   * private as one Gaussian with noise multiplier z: z_Δ = (z⁻² − (2σ_b)⁻²)^(−1/2).
   *
   * @throws IllegalArgumentException unless z < 2σ_b (the count alone would spend the budget)
   */
  public static double valueNoiseMultiplier(double totalNoiseMultiplier, double countNoiseStddev) {
    ClippingChecks.checkPositiveFinite("totalNoiseMultiplier", totalNoiseMultiplier);
    ClippingChecks.checkPositiveFinite("countNoiseStddev", countNoiseStddev);
    if (totalNoiseMultiplier >= 2 * countNoiseStddev) {
      throw new IllegalArgumentException(
          String.format(
              "countNoiseStddev must be > totalNoiseMultiplier / 2 = %s. Provided value: %s",
              totalNoiseMultiplier / 2, countNoiseStddev));
    }
    double countMultiplier = 2 * countNoiseStddev;
    return 1.0
        / Math.sqrt(
            1.0 / (totalNoiseMultiplier * totalNoiseMultiplier)
                - 1.0 / (countMultiplier * countMultiplier));
  }

  public double targetUnclippedQuantile() {
    return targetQuantile;
  }

  public double learningRate() {
    return learningRate;
  }

  public double countNoiseStddev() {
    return countNoiseStddev;
  }

  public double expectedClientsPerRound() {
    return expectedClientsPerRound;
  }
}
