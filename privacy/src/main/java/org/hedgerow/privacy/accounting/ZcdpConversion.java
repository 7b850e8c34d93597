package org.hedgerow.privacy.accounting;

/** How a ρ-zCDP guarantee becomes an (ε, δ)-DP guarantee. */
public enum ZcdpConversion {

  /**
   * ε = ρ + 2·sqrt(ρ·log(1/δ)): Bun and Steinke 2016, "Concentrated Differential Privacy:
   * Simplifications, Extensions, and Lower Bounds", Proposition 1.3. The order reported is the α
   * that this bound implicitly optimises, 1 + sqrt(log(1/δ)/ρ).
   */
  STANDARD,

  /**
   * ε = inf over real α > 1 of αρ + log((α−1)/α) − (log δ + log α)/(α−1): Canonne, Kamath, Steinke
   * 2020, "The Discrete Gaussian for Differential Privacy", Corollary 13 (their Proposition 12 —
   * the same bound as Balle et al. 2020 — applied to the RDP curve αρ of ρ-zCDP). The infimum is
   * found numerically by golden-section search over log(α−1). Every α > 1 gives a valid bound,
   * so the search can only err on the safe side; the tests compare it with a dense scan and with
   * {@link #STANDARD}, which it never exceeds.
   */
  TIGHT
}
