package org.hedgerow.privacy.accounting;

/**
 * The Laplace mechanism: noise of scale {@code noiseMultiplier × Δ₁} added to a query of L1
 * sensitivity Δ₁; it is (1/noiseMultiplier)-DP, with the RDP curve of Mironov 2017, Prop. 6.
 */
public record LaplaceEvent(double noiseMultiplier) implements DpEvent {

  public LaplaceEvent {
    AccountingChecks.checkPositiveFinite("noiseMultiplier", noiseMultiplier);
  }
}
