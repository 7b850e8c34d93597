package org.hedgerow.privacy.accounting;

/** How an RDP guarantee (α, ε_α) becomes an (ε, δ)-DP guarantee. */
public enum RdpConversion {

  /**
   * ε = ε_α + log((α−1)/α) − (log δ + log α)/(α−1): Balle, Barthe, Gaboardi, Hsu, Sato 2020,
   * "Hypothesis Testing Interpretations and Rényi Differential Privacy" (AISTATS 2020, Theorem
   * 21), equivalently Canonne, Kamath, Steinke 2020, Proposition 12. This is what Opacus' {@code
   * get_privacy_spent} and TF Privacy's {@code compute_eps} use; it is never worse than {@link
   * #CLASSIC} for α > 1.
   */
  IMPROVED {
    @Override
    double epsilon(double order, double rdp, double delta) {
      return rdp - (Math.log(delta) + Math.log(order)) / (order - 1) + Math.log((order - 1) / order);
    }

    @Override
    double logDelta(double order, double rdp, double epsilon) {
      return (order - 1) * (rdp - epsilon + Math.log1p(-1 / order)) - Math.log(order);
    }
  },

  /** ε = ε_α + log(1/δ)/(α−1): Mironov 2017, "Rényi Differential Privacy", Proposition 3. */
  CLASSIC {
    @Override
    double epsilon(double order, double rdp, double delta) {
      return rdp - Math.log(delta) / (order - 1);
    }

    @Override
    double logDelta(double order, double rdp, double epsilon) {
      return (order - 1) * (rdp - epsilon);
    }
  };

  /** ε at one order for the given δ (may be negative or NaN; callers take the minimum). */
  abstract double epsilon(double order, double rdp, double delta);

  /** log δ at one order for the given ε. */
  abstract double logDelta(double order, double rdp, double epsilon);
}
