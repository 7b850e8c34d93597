package org.hedgerow.privacy.accounting;

/**
 * A zero-concentrated-DP accountant (Bun and Steinke 2016): ρ-zCDP guarantees compose by adding
 * ρ. This is the natural accountant for the discrete Gaussian used in distributed DP, whose
 * guarantee (Canonne, Kamath, Steinke 2020) is stated in zCDP.
 *
 * <p>Supported events: {@link NoOpEvent} (ρ = 0), {@link GaussianEvent} (ρ = 1/(2z²)), {@link
 * DiscreteGaussianEvent} (ρ = Δ²/(2σ²)), {@link LaplaceEvent} (ε-DP with ε = 1/λ implies
 * ε²/2-zCDP, Bun–Steinke Proposition 1.4), and self-composition and composition of these. Poisson
 * sampling is not supported: zCDP does not capture its amplification (use {@link RdpAccountant}).
 *
 * <p>Mutable and not thread-safe.
 */
public final class ZcdpAccountant {

  private static final double INV_PHI = (Math.sqrt(5) - 1) / 2;

  private double rho;

  /** Whether {@link #compose} can account for this event. */
  public boolean supports(DpEvent event) {
    if (event instanceof NoOpEvent
        || event instanceof GaussianEvent
        || event instanceof DiscreteGaussianEvent
        || event instanceof LaplaceEvent) {
      return true;
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
  public ZcdpAccountant compose(DpEvent event) {
    return compose(event, 1);
  }

  /**
   * Composes {@code count} occurrences of the event; returns this.
   *
   * @throws IllegalArgumentException if the event is null or unsupported, or count < 1
   */
  public ZcdpAccountant compose(DpEvent event, long count) {
    AccountingChecks.checkNotNull("event", event);
    AccountingChecks.checkAtLeastOne("count", count);
    if (!supports(event)) {
      throw new IllegalArgumentException("ZcdpAccountant does not support " + event);
    }
    rho += count * rhoOf(event);
    return this;
  }

  private static double rhoOf(DpEvent event) {
    if (event instanceof GaussianEvent gaussian) {
      double z = gaussian.noiseMultiplier();
      return 1 / (2 * z * z);
    }
    if (event instanceof DiscreteGaussianEvent discrete) {
      return discrete.rho();
    }
    if (event instanceof LaplaceEvent laplace) {
      double eps = 1 / laplace.noiseMultiplier();
      return eps * eps / 2;
    }
    if (event instanceof SelfComposedEvent self) {
      return self.count() * rhoOf(self.event());
    }
    if (event instanceof ComposedEvent composed) {
      double sum = 0;
      for (DpEvent inner : composed.events()) {
        sum += rhoOf(inner);
      }
      return sum;
    }
    return 0; // NoOpEvent
  }

  /** The accumulated ρ. */
  public double rho() {
    return rho;
  }

  /** ε for this δ by the {@link ZcdpConversion#TIGHT} conversion. */
  public EpsilonResult epsilon(double delta) {
    return epsilon(delta, ZcdpConversion.TIGHT);
  }

  /**
   * ε for this δ by the given conversion (0 when nothing has been spent).
   *
   * @throws IllegalArgumentException unless 0 < δ < 1
   */
  public EpsilonResult epsilon(double delta, ZcdpConversion conversion) {
    AccountingChecks.checkDelta(delta);
    AccountingChecks.checkNotNull("conversion", conversion);
    return epsilon(rho, delta, conversion);
  }

  /** ε for ρ-zCDP at this δ by the given conversion. */
  public static EpsilonResult epsilon(double rho, double delta, ZcdpConversion conversion) {
    if (!(rho >= 0) || Double.isInfinite(rho)) {
      throw new IllegalArgumentException("rho must be >= 0 and finite. Provided value: " + rho);
    }
    AccountingChecks.checkDelta(delta);
    AccountingChecks.checkNotNull("conversion", conversion);
    double logInvDelta = -Math.log(delta);
    if (rho == 0) {
      return new EpsilonResult(0, Double.POSITIVE_INFINITY);
    }
    if (conversion == ZcdpConversion.STANDARD) {
      return new EpsilonResult(
          rho + 2 * Math.sqrt(rho * logInvDelta), 1 + Math.sqrt(logInvDelta / rho));
    }
    // Golden-section search on u = log(α − 1) over a bracket wide enough for any practical ρ
    // (the optimum sits near α − 1 = sqrt(log(1/δ)/ρ)).
    double lo = -30;
    double hi = 30;
    double x1 = hi - INV_PHI * (hi - lo);
    double x2 = lo + INV_PHI * (hi - lo);
    double f1 = tightEpsilon(rho, delta, x1);
    double f2 = tightEpsilon(rho, delta, x2);
    for (int iter = 0; iter < 200 && hi - lo > 1e-12; iter++) {
      if (f1 <= f2) {
        hi = x2;
        x2 = x1;
        f2 = f1;
        x1 = hi - INV_PHI * (hi - lo);
        f1 = tightEpsilon(rho, delta, x1);
      } else {
        lo = x1;
        x1 = x2;
        f1 = f2;
        x2 = lo + INV_PHI * (hi - lo);
        f2 = tightEpsilon(rho, delta, x2);
      }
    }
    double u = f1 <= f2 ? x1 : x2;
    double best = Math.min(f1, f2);
    return new EpsilonResult(Math.max(0.0, best), 1 + Math.exp(u));
  }

  /** The Corollary 13 bound at α = 1 + e^u. */
  static double tightEpsilon(double rho, double delta, double u) {
    double alphaMinusOne = Math.exp(u);
    double alpha = 1 + alphaMinusOne;
    return alpha * rho
        + Math.log(alphaMinusOne / alpha)
        - (Math.log(delta) + Math.log(alpha)) / alphaMinusOne;
  }
}
