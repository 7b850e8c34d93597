package org.hedgerow.privacy.accounting;

/**
 * The privacy of a secure sum to which every contributor added its own share of discrete Gaussian
 * noise — the distributed discrete Gaussian of Kairouz, Liu and Steinke (2021), <i>The Distributed
 * Discrete Gaussian Mechanism for Federated Learning with Secure Aggregation</i> (ICML 2021,
 * arXiv:2102.06387) — and the per-contributor noise that reaches a target.
 *
 * <p><b>The bound used.</b> m contributors each add independent N_Z(0, σ²) (σ ≥ 1/2) to every
 * coordinate of their integer vector; only the sum is released. The sum of m discrete Gaussians is
 * <em>not</em> a discrete Gaussian, but by KLS21 (Proposition 14, the bound behind their Theorem 1),
 * for an integer query of L2 sensitivity Δ on d coordinates and every order α ≥ 1,
 * <pre>  D_α(sum(x) ‖ sum(x')) ≤ α·Δ²/(2mσ²) + τ_m·d,   τ_m = 10·Σ_{k=1}^{m−1} exp(−2π²σ²·k/(k+1)).</pre>
 * Because α ≥ 1 the constant term is at most α·τ_m·d, so the sum is ρ-zCDP with
 * <pre>  ρ = Δ²/(2mσ²) + τ_m·d</pre>
 * — a conservative step: KLS21 keep a smaller constant, this code takes the whole τ_m·d per unit of α.
 *
 * <p><b>Dropouts.</b> With n expected contributors of which at least t survive (the secure
 * aggregation threshold: below t nothing is unmasked), the noise in a released sum is at least the
 * noise of t shares. ρ(m) above is largest at m = t in its first term and at m = n in τ (τ grows
 * with m), so {@link #rho} takes Δ²/(2tσ²) + τ_n·d, which bounds every m ∈ [t, n]. Every contributor
 * is calibrated so that t shares alone reach the target ({@link #shareVarianceFor}).
 *
 * <p><b>As a noise multiplier.</b> ρ-zCDP has the Rényi curve α·ρ, which is exactly the curve of the
 * Gaussian mechanism with noise multiplier z = 1/√(2ρ). {@link #effectiveNoiseMultiplier} returns
 * that z, so one round is accounted as {@code GaussianEvent(z)} by the RDP accountant (and in a
 * ledger spend as noise multiplier z, sample rate 1, one step) without approximation.
 *
 * <p>Not modelled (stated in docs/privacy.md): contributors that collude with the server and add no
 * noise — the bound counts only the noise of the t honest shares it assumes.
 */
public final class DistributedGaussianSum {
  /** KLS21 require σ ≥ 1/2 per share. */
  public static final double MIN_SHARE_VARIANCE = 0.25;

  private DistributedGaussianSum() {}

  /**
   * τ_n of KLS21, summed term by term (terms underflow to 0 long before they matter).
   *
   * @param shareVariance σ² of one contributor's share
   * @param contributors n: the most shares that may be summed
   */
  public static double tau(double shareVariance, int contributors) {
    checkShare(shareVariance);
    check(contributors >= 1, "contributors must be >= 1", contributors);
    double sum = 0;
    for (int k = 1; k < contributors; k++) {
      sum += Math.exp(-2 * Math.PI * Math.PI * shareVariance * k / (k + 1.0));
    }
    return 10 * sum;
  }

  /**
   * ρ (zCDP) of one released sum, whatever the number of survivors m ∈ [minSurvivors, maxContributors].
   *
   * @param l2Sensitivity Δ: the most one unit of privacy can move the summed integer vector, in L2
   * @param shareVariance σ² of each contributor's discrete Gaussian share (integer units)
   * @param minSurvivors t: no sum of fewer shares is ever released
   * @param maxContributors n ≥ t
   * @param dimension d: coordinates that carry noise
   */
  public static double rho(double l2Sensitivity, double shareVariance, int minSurvivors, int maxContributors,
      int dimension) {
    check(l2Sensitivity > 0 && Double.isFinite(l2Sensitivity), "l2Sensitivity must be > 0 and finite", l2Sensitivity);
    checkShare(shareVariance);
    check(minSurvivors >= 1, "minSurvivors must be >= 1", minSurvivors);
    check(maxContributors >= minSurvivors, "maxContributors must be >= minSurvivors (" + minSurvivors + ")",
        maxContributors);
    check(dimension >= 1, "dimension must be >= 1", dimension);
    return l2Sensitivity * l2Sensitivity / (2.0 * minSurvivors * shareVariance)
        + tau(shareVariance, maxContributors) * dimension;
  }

  /**
   * Δ of a secure sum of integer vectors: one customer's real contribution −η·clip(g, C), scaled by γ
   * and stochastically rounded coordinate-wise (each coordinate moves by less than 1), has L2 norm at
   * most γηC + √d; 10⁻⁹ relative slack covers the floating-point evaluation of that bound.
   */
  public static double sensitivity(double scale, double learningRate, double clipNorm, int dimension) {
    return roundedNormBound(scale, learningRate, clipNorm, dimension) * (1 + 1e-9);
  }

  /** γηC + √d, the bound every rounded customer vector is checked against (without the slack of {@link #sensitivity}). */
  public static double roundedNormBound(double scale, double learningRate, double clipNorm, int dimension) {
    return scale * (learningRate * clipNorm) + Math.sqrt(dimension);
  }

  /** z = 1/√(2ρ) of {@link #rho}: the Gaussian noise multiplier with the same Rényi curve. */
  public static double effectiveNoiseMultiplier(double l2Sensitivity, double shareVariance, int minSurvivors,
      int maxContributors, int dimension) {
    return 1 / Math.sqrt(2 * rho(l2Sensitivity, shareVariance, minSurvivors, maxContributors, dimension));
  }

  /**
   * The smallest share variance σ² (to a relative 10⁻⁶) whose sum over {@code minSurvivors} shares
   * has {@link #effectiveNoiseMultiplier} ≥ {@code noiseMultiplier}: each of n contributors adds this
   * much, so that t·σ² — what survives the worst allowed dropout — reaches the target. (Without the τ
   * term this is exactly z²Δ²/t; τ is negligible once σ ≳ 2.)
   *
   * @throws IllegalArgumentException bad parameters, or the target cannot be met (τ·d alone exceeds it)
   */
  public static double shareVarianceFor(double noiseMultiplier, double l2Sensitivity, int minSurvivors,
      int maxContributors, int dimension) {
    check(noiseMultiplier > 0 && Double.isFinite(noiseMultiplier), "noiseMultiplier must be > 0 and finite",
        noiseMultiplier);
    check(l2Sensitivity > 0 && Double.isFinite(l2Sensitivity), "l2Sensitivity must be > 0 and finite", l2Sensitivity);
    check(minSurvivors >= 1, "minSurvivors must be >= 1", minSurvivors);
    double variance = Math.max(MIN_SHARE_VARIANCE,
        noiseMultiplier * noiseMultiplier * l2Sensitivity * l2Sensitivity / minSurvivors);
    for (int i = 0; i < 100_000; i++) {
      if (effectiveNoiseMultiplier(l2Sensitivity, variance, minSurvivors, maxContributors, dimension)
          >= noiseMultiplier) {
        return variance;
      }
      variance *= 1 + 1e-6;
    }
    throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
        "no share variance reaches noise multiplier %s for sensitivity %s, %d survivors of %d, %d coordinates",
        noiseMultiplier, l2Sensitivity, minSurvivors, maxContributors, dimension));
  }

  private static void checkShare(double shareVariance) {
    check(shareVariance >= MIN_SHARE_VARIANCE && Double.isFinite(shareVariance),
        "shareVariance must be >= 1/4 (sigma >= 1/2, KLS21) and finite", shareVariance);
  }

  private static void check(boolean ok, String what, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(what + ". Provided value: " + value);
    }
  }
}
