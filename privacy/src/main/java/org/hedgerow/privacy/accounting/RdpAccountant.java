package org.hedgerow.privacy.accounting;

/**
 * A Rényi-DP accountant in the shape of Google's {@code dp_accounting.rdp.RdpAccountant}: it keeps
 * the RDP curve ε(α) of everything composed so far at a fixed grid of orders ({@link RdpOrders}),
 * composes by adding curves (Mironov 2017, Proposition 1), and converts to (ε, δ) by minimising
 * over the orders.
 *
 * <p>Supported events:
 *
 * <ul>
 *   <li>{@link NoOpEvent}: nothing;
 *   <li>{@link GaussianEvent}: α / (2z²);
 *   <li>{@link LaplaceEvent}: Mironov 2017, Proposition 6;
 *   <li>{@link DiscreteGaussianEvent}: α·Δ²/(2σ²) (Canonne, Kamath, Steinke 2020);
 *   <li>{@link PoissonSampledEvent} of a {@link GaussianEvent}: the sampled Gaussian of Mironov,
 *       Talwar, Zhang 2019 ({@link SampledGaussianRdp}), at integer and fractional orders;
 *   <li>{@link SelfComposedEvent} and {@link ComposedEvent} of supported events.
 * </ul>
 *
 * Phases with different sampling rates and noise multipliers compose by summing their curves.
 *
 * <p>Mutable and not thread-safe: one accountant per ledger or run.
 */
public final class RdpAccountant {

  private final RdpOrders orders;
  private final double[] rdp;

  /** An accountant over Opacus' default orders. */
  public RdpAccountant() {
    this(RdpOrders.OPACUS);
  }

  /** An accountant over the given orders. */
  public RdpAccountant(RdpOrders orders) {
    AccountingChecks.checkNotNull("orders", orders);
    this.orders = orders;
    this.rdp = new double[orders.size()];
  }

  /** Whether {@link #compose} can account for this event. */
  public boolean supports(DpEvent event) {
    if (event instanceof NoOpEvent
        || event instanceof GaussianEvent
        || event instanceof LaplaceEvent
        || event instanceof DiscreteGaussianEvent) {
      return true;
    }
    if (event instanceof PoissonSampledEvent sampled) {
      return sampled.event() instanceof GaussianEvent || sampled.event() instanceof NoOpEvent;
    }
    if (event instanceof SelfComposedEvent self) {
      return supports(self.event());
    }
    if (event instanceof ComposedEvent composed) {
      return composed.events().stream().allMatch(this::supports);
    }
    return false;
  }

  /** Composes one occurrence of the event; returns this. */
  public RdpAccountant compose(DpEvent event) {
    return compose(event, 1);
  }

  /**
   * Composes {@code count} occurrences of the event; returns this.
   *
   * @throws IllegalArgumentException if the event is null or not supported, or count < 1 (the
   *     accountant is then unchanged)
   */
  public RdpAccountant compose(DpEvent event, long count) {
    AccountingChecks.checkNotNull("event", event);
    AccountingChecks.checkAtLeastOne("count", count);
    if (!supports(event)) {
      throw new IllegalArgumentException("RdpAccountant does not support " + event);
    }
    double[] curve = curve(event);
    for (int i = 0; i < rdp.length; i++) {
      rdp[i] += count * curve[i];
    }
    return this;
  }

  private double[] curve(DpEvent event) {
    double[] curve = new double[orders.size()];
    if (event instanceof NoOpEvent) {
      return curve;
    }
    if (event instanceof GaussianEvent gaussian) {
      double z = gaussian.noiseMultiplier();
      for (int i = 0; i < curve.length; i++) {
        curve[i] = orders.get(i) / (2 * z * z);
      }
      return curve;
    }
    if (event instanceof LaplaceEvent laplace) {
      for (int i = 0; i < curve.length; i++) {
        curve[i] = laplaceRdp(laplace.noiseMultiplier(), orders.get(i));
      }
      return curve;
    }
    if (event instanceof DiscreteGaussianEvent discrete) {
      double rho = discrete.rho();
      for (int i = 0; i < curve.length; i++) {
        curve[i] = orders.get(i) * rho;
      }
      return curve;
    }
    if (event instanceof PoissonSampledEvent sampled) {
      if (sampled.event() instanceof NoOpEvent) {
        return curve;
      }
      double q = sampled.samplingProbability();
      double z = ((GaussianEvent) sampled.event()).noiseMultiplier();
      for (int i = 0; i < curve.length; i++) {
        curve[i] = SampledGaussianRdp.rdp(q, z, orders.get(i));
      }
      return curve;
    }
    if (event instanceof SelfComposedEvent self) {
      double[] inner = curve(self.event());
      for (int i = 0; i < curve.length; i++) {
        curve[i] = self.count() * inner[i];
      }
      return curve;
    }
    ComposedEvent composed = (ComposedEvent) event;
    for (DpEvent inner : composed.events()) {
      double[] c = curve(inner);
      for (int i = 0; i < curve.length; i++) {
        curve[i] += c[i];
      }
    }
    return curve;
  }

  /**
   * RDP of the Laplace mechanism with noise multiplier λ (scale/Δ₁) at order α > 1 (Mironov 2017,
   * Proposition 6): log(α/(2α−1)·e^((α−1)/λ) + (α−1)/(2α−1)·e^(−α/λ)) / (α−1), in log space.
   */
  static double laplaceRdp(double lambda, double alpha) {
    double a = Math.log(alpha / (2 * alpha - 1)) + (alpha - 1) / lambda;
    double b = Math.log((alpha - 1) / (2 * alpha - 1)) - alpha / lambda;
    return LogMath.logAdd(a, b) / (alpha - 1);
  }

  /** The smallest ε, over the orders, for this δ by the {@link RdpConversion#IMPROVED} bound. */
  public EpsilonResult epsilon(double delta) {
    return epsilon(delta, RdpConversion.IMPROVED);
  }

  /**
   * The smallest ε, over the orders, for this δ by the given conversion. ε is floored at 0 (an
   * (ε, δ) guarantee with ε < 0 implies the one with ε = 0), and is 0 at an order whose RDP is
   * below the Bretagnolle–Huber threshold 1 − exp(−ε_α) < δ²; ties go to the first order.
   *
   * @throws IllegalArgumentException unless 0 < δ < 1
   */
  public EpsilonResult epsilon(double delta, RdpConversion conversion) {
    return epsilon(orders, rdp, delta, conversion);
  }

  /** The conversion of a given RDP curve (the tests use it on published curves). */
  static EpsilonResult epsilon(
      RdpOrders orders, double[] rdp, double delta, RdpConversion conversion) {
    AccountingChecks.checkDelta(delta);
    AccountingChecks.checkNotNull("conversion", conversion);
    double best = Double.POSITIVE_INFINITY;
    double bestOrder = Double.NaN;
    for (int i = 0; i < rdp.length; i++) {
      // KL ≤ D_α, and TV ≤ sqrt(1 − exp(−KL)) (Bretagnolle–Huber): an RDP value this small
      // already gives (0, δ)-DP, which the conversions below cannot show (dp_accounting does
      // the same). It only triggers for rdp below ~δ², e.g. a curve of NoOp events.
      double eps =
          delta * delta + Math.expm1(-rdp[i]) > 0
              ? 0.0
              : conversion.epsilon(orders.get(i), rdp[i], delta);
      if (eps < best) { // NaN never compares less: skipped, as numpy's nanargmin does
        best = eps;
        bestOrder = orders.get(i);
      }
    }
    return new EpsilonResult(Math.max(0.0, best), bestOrder);
  }

  /** The smallest δ, over the orders, for this ε by the {@link RdpConversion#IMPROVED} bound. */
  public DeltaResult delta(double epsilon) {
    return delta(epsilon, RdpConversion.IMPROVED);
  }

  /**
   * The smallest δ, over the orders, for this ε by the given conversion, capped at 1.
   *
   * @throws IllegalArgumentException unless ε ≥ 0 and finite
   */
  public DeltaResult delta(double epsilon, RdpConversion conversion) {
    return delta(orders, rdp, epsilon, conversion);
  }

  /** The conversion of a given RDP curve (the tests use it on published curves). */
  static DeltaResult delta(
      RdpOrders orders, double[] rdp, double epsilon, RdpConversion conversion) {
    AccountingChecks.checkEpsilon(epsilon);
    AccountingChecks.checkNotNull("conversion", conversion);
    double bestLog = Double.POSITIVE_INFINITY;
    double bestOrder = Double.NaN;
    for (int i = 0; i < rdp.length; i++) {
      // The Bretagnolle–Huber bound δ ≤ sqrt(1 − exp(−D_α)) holds at any ε; keep the smaller.
      double logDelta =
          Math.min(
              conversion.logDelta(orders.get(i), rdp[i], epsilon),
              0.5 * Math.log(-Math.expm1(-rdp[i])));
      if (logDelta < bestLog) {
        bestLog = logDelta;
        bestOrder = orders.get(i);
      }
    }
    return new DeltaResult(Math.min(1.0, Math.exp(bestLog)), bestOrder);
  }

  /** A copy of the accumulated RDP curve, aligned with {@link #orders()}. */
  public double[] rdp() {
    return rdp.clone();
  }

  public RdpOrders orders() {
    return orders;
  }
}
