package org.hedgerow.privacy.accounting;

import java.util.function.DoubleFunction;

/**
 * Finds the noise multiplier σ that spends a target (ε, δ) budget, by bisection on the RDP
 * accountant — the approach of Opacus' {@code get_noise_multiplier}.
 *
 * <p>ε decreases continuously as σ grows. Starting from [0, 10], the upper end is doubled until
 * ε(σ_high) ≤ target (giving up beyond σ = 10^6), then the bracket is halved until the target
 * exceeds ε(σ_high) by at most the tolerance. The answer is σ_high: it always meets the budget,
 * ε(σ) ∈ (target − tolerance, target], and any σ' < σ_low spends more than the target, so σ is
 * within one bisection step of the smallest σ that fits.
 */
public final class NoiseCalibration {

  /** The default slack: the returned σ spends between target − 0.01 and target. */
  public static final double DEFAULT_EPSILON_TOLERANCE = 0.01;

  /** The largest σ tried before the budget is declared unreachable (Opacus' MAX_SIGMA). */
  public static final double MAX_NOISE_MULTIPLIER = 1e6;

  private static final int MAX_BISECTIONS = 200;

  private NoiseCalibration() {}

  /**
   * σ for {@code steps} Poisson-sampled Gaussian steps with sampling probability q, over Opacus'
   * orders with the improved conversion and ε tolerance 0.01.
   */
  public static double noiseMultiplierFor(
      double targetEpsilon, double delta, double samplingProbability, long steps) {
    return noiseMultiplierFor(targetEpsilon, delta, samplingProbability, steps, RdpOrders.OPACUS);
  }

  /** As {@link #noiseMultiplierFor(double, double, double, long)} over the given orders. */
  public static double noiseMultiplierFor(
      double targetEpsilon,
      double delta,
      double samplingProbability,
      long steps,
      RdpOrders orders) {
    AccountingChecks.checkProbability("samplingProbability", samplingProbability);
    AccountingChecks.checkAtLeastOne("steps", steps);
    return calibrate(
            targetEpsilon,
            delta,
            sigma -> DpEvent.sampledGaussian(sigma, samplingProbability, steps),
            orders,
            RdpConversion.IMPROVED,
            DEFAULT_EPSILON_TOLERANCE)
        .noiseMultiplier();
  }

  /**
   * σ for {@code steps} Poisson-sampled Gaussian steps that follow an already planned release
   * {@code before} (e.g. a silo's DP item statistics): the smallest σ (within the tolerance) such
   * that {@code before} composed with the steps spends at most the target. The whole run's event is
   * {@code ComposedEvent.of(before, sampledGaussian(σ, q, steps))}, the order in which
   * {@code PrivacyBudget} composes a release and the training steps.
   *
   * @throws IllegalArgumentException if {@code before} alone already spends the target or more
   */
  public static double noiseMultiplierFor(
      double targetEpsilon, double delta, double samplingProbability, long steps, DpEvent before) {
    AccountingChecks.checkProbability("samplingProbability", samplingProbability);
    AccountingChecks.checkAtLeastOne("steps", steps);
    AccountingChecks.checkNotNull("before", before);
    AccountingChecks.checkPositiveFinite("targetEpsilon", targetEpsilon);
    AccountingChecks.checkDelta(delta);
    double alone = new RdpAccountant(RdpOrders.OPACUS).compose(before).epsilon(delta, RdpConversion.IMPROVED)
        .epsilon();
    if (!(alone < targetEpsilon)) {
      throw new IllegalArgumentException(String.format(
          "targetEpsilon %s is unreachable at delta %s: %s alone spends epsilon %s, leaving nothing for training",
          targetEpsilon, delta, before, alone));
    }
    return calibrate(
            targetEpsilon,
            delta,
            sigma -> ComposedEvent.of(before, DpEvent.sampledGaussian(sigma, samplingProbability, steps)),
            RdpOrders.OPACUS,
            RdpConversion.IMPROVED,
            DEFAULT_EPSILON_TOLERANCE)
        .noiseMultiplier();
  }

  /**
   * The general form: {@code eventFor} builds the whole run's event for a candidate σ (for
   * example several phases with different sampling rates sharing one σ).
   *
   * @throws IllegalArgumentException if a parameter is out of range, or no σ ≤ 10^6 meets the
   *     target
   */
  public static Calibration calibrate(
      double targetEpsilon,
      double delta,
      DoubleFunction<DpEvent> eventFor,
      RdpOrders orders,
      RdpConversion conversion,
      double epsilonTolerance) {
    AccountingChecks.checkPositiveFinite("targetEpsilon", targetEpsilon);
    AccountingChecks.checkDelta(delta);
    AccountingChecks.checkNotNull("eventFor", eventFor);
    AccountingChecks.checkNotNull("orders", orders);
    AccountingChecks.checkNotNull("conversion", conversion);
    AccountingChecks.checkPositiveFinite("epsilonTolerance", epsilonTolerance);

    double low = 0;
    double high = 10;
    EpsilonResult atHigh = new EpsilonResult(Double.POSITIVE_INFINITY, Double.NaN);
    while (!(atHigh.epsilon() <= targetEpsilon)) {
      high *= 2;
      if (high > MAX_NOISE_MULTIPLIER) {
        throw new IllegalArgumentException(
            String.format(
                "targetEpsilon %s is unreachable at delta %s: even noise multiplier %s spends"
                    + " epsilon %s",
                targetEpsilon, delta, high / 2, atHigh.epsilon()));
      }
      atHigh = epsilonAt(high, delta, eventFor, orders, conversion);
    }
    for (int i = 0; i < MAX_BISECTIONS && targetEpsilon - atHigh.epsilon() > epsilonTolerance; i++) {
      double mid = (low + high) / 2;
      if (mid <= low || mid >= high) {
        break; // the bracket cannot shrink further in floating point
      }
      EpsilonResult atMid = epsilonAt(mid, delta, eventFor, orders, conversion);
      if (atMid.epsilon() < targetEpsilon) {
        high = mid;
        atHigh = atMid;
      } else {
        low = mid;
      }
    }
    return new Calibration(high, atHigh.epsilon(), atHigh.order());
  }

  private static EpsilonResult epsilonAt(
      double sigma,
      double delta,
      DoubleFunction<DpEvent> eventFor,
      RdpOrders orders,
      RdpConversion conversion) {
    return new RdpAccountant(orders).compose(eventFor.apply(sigma)).epsilon(delta, conversion);
  }
}
