package org.hedgerow.privacy.accounting;

/**
 * The Gaussian mechanism: noise of standard deviation {@code noiseMultiplier × Δ₂} added to a
 * query of L2 sensitivity Δ₂. Its RDP at order α is α / (2 z²) (Mironov 2017).
 */
public record GaussianEvent(double noiseMultiplier) implements DpEvent {

  public GaussianEvent {
    AccountingChecks.checkPositiveFinite("noiseMultiplier", noiseMultiplier);
  }
}
