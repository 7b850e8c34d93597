package org.hedgerow.privacy.accounting;

/**
 * Independent discrete Gaussians N_Z(0, σ²) added to each coordinate of an integer-valued query
 * whose L2 sensitivity is {@code l2Sensitivity}.
 *
 * <p>This is ρ-zCDP with ρ = Δ²/(2σ²) (Canonne, Kamath, Steinke 2020, "The Discrete Gaussian for
 * Differential Privacy": integer shifts of N_Z(0, σ²) are at Rényi divergence ≤ α·Δ²/(2σ²), and
 * the divergence adds over coordinates), i.e. RDP α·ρ at every order α > 1. Subsampling
 * amplification is not modelled for this event.
 *
 * @param sigma the discrete Gaussian's parameter σ (its standard deviation is slightly below σ)
 * @param l2Sensitivity the L2 sensitivity Δ of the integer query
 */
public record DiscreteGaussianEvent(double sigma, double l2Sensitivity) implements DpEvent {

  public DiscreteGaussianEvent {
    AccountingChecks.checkPositiveFinite("sigma", sigma);
    AccountingChecks.checkPositiveFinite("l2Sensitivity", l2Sensitivity);
  }

  /** ρ = Δ² / (2σ²). */
  public double rho() {
    double ratio = l2Sensitivity / sigma;
    return ratio * ratio / 2;
  }
}
