package org.hedgerow.privacy.accounting;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Everything {@link DistributedGaussianSum} used to account one released secure sum of discrete
 * Gaussian shares, as a ledger entry records it: with these and the entry's clip norm C anyone
 * recomputes the sensitivity Δ, the τ term, ρ and the effective noise multiplier z, and so the
 * entry's ε, without trusting the silo's arithmetic.
 *
 * @param shareVariance σ² of each silo's share per coordinate, integer units (≥ 1/4)
 * @param minSurvivors t: no sum of fewer shares is unmasked
 * @param maxContributors n ≥ t: the session's roster size
 * @param dimension d: coordinates that carry noise (the model's parameters)
 * @param scale γ: integer units per real unit of the secure sum
 * @param learningRate η: a customer's real contribution is −η·clip(g, C)
 * @param l2Sensitivity Δ = (γηC + √d)(1 + 10⁻⁹) ({@link DistributedGaussianSum#sensitivity})
 * @param tau τ_n of KLS21 Prop. 14 ({@link DistributedGaussianSum#tau}), taken whole per unit of α
 * @param bits quantisation bits of the secure sum (the room the clamp leaves each silo)
 * @param modulusBits the ring {@code Z_{2^modulusBits}} the sum is taken in
 */
public record DistributedGaussianParameters(double shareVariance, int minSurvivors, int maxContributors, int dimension,
    double scale, double learningRate, double l2Sensitivity, double tau, int bits, int modulusBits) {

  public DistributedGaussianParameters {
    check(shareVariance >= DistributedGaussianSum.MIN_SHARE_VARIANCE && Double.isFinite(shareVariance),
        "share_variance must be >= 1/4 and finite", shareVariance);
    check(minSurvivors >= 1, "min_survivors must be >= 1", minSurvivors);
    check(maxContributors >= minSurvivors, "max_contributors must be >= min_survivors (" + minSurvivors + ")",
        maxContributors);
    check(dimension >= 1, "dimension must be >= 1", dimension);
    check(scale > 0 && Double.isFinite(scale), "scale must be > 0 and finite", scale);
    check(learningRate > 0 && Double.isFinite(learningRate), "learning_rate must be > 0 and finite", learningRate);
    check(l2Sensitivity > 0 && Double.isFinite(l2Sensitivity), "l2_sensitivity must be > 0 and finite", l2Sensitivity);
    check(tau >= 0 && Double.isFinite(tau), "tau must be >= 0 and finite", tau);
    check(modulusBits >= 2 && modulusBits <= 64, "modulus_bits must be in [2, 64]", modulusBits);
    check(bits >= 1 && bits <= modulusBits, "bits must be in [1, modulus_bits]", bits);
  }

  /**
   * The parameters of a sum as {@link DistributedGaussianSum} accounts it, with Δ and τ computed here.
   *
   * @param clipNorm C, the L2 bound on one customer's gradient (the ledger entry's clip norm)
   */
  public static DistributedGaussianParameters of(double shareVariance, int minSurvivors, int maxContributors,
      int dimension, double scale, double learningRate, double clipNorm, int bits, int modulusBits) {
    return new DistributedGaussianParameters(shareVariance, minSurvivors, maxContributors, dimension, scale,
        learningRate, DistributedGaussianSum.sensitivity(scale, learningRate, clipNorm, dimension),
        DistributedGaussianSum.tau(shareVariance, maxContributors), bits, modulusBits);
  }

  /** ρ (zCDP) of one released sum: Δ²/(2tσ²) + τ_n·d, recomputed from σ², t, n, d and Δ. */
  public double rho() {
    return DistributedGaussianSum.rho(l2Sensitivity, shareVariance, minSurvivors, maxContributors, dimension);
  }

  /** z = 1/√(2ρ): the noise multiplier the entry is accounted with. */
  public double effectiveNoiseMultiplier() {
    return DistributedGaussianSum.effectiveNoiseMultiplier(l2Sensitivity, shareVariance, minSurvivors,
        maxContributors, dimension);
  }

  /**
   * What in these parameters disagrees with itself or with the entry's clip norm C and noise
   * multiplier z: a recorded Δ or τ that is not what σ², n, d, γ, η and C give, or a z that is not
   * {@link #effectiveNoiseMultiplier}. Empty when consistent (exact equality: every party computes
   * them with the same functions).
   */
  public List<String> inconsistencies(double clipNorm, double noiseMultiplier) {
    List<String> out = new ArrayList<>();
    double delta = DistributedGaussianSum.sensitivity(scale, learningRate, clipNorm, dimension);
    if (delta != l2Sensitivity) {
      out.add(String.format(Locale.ROOT, "l2_sensitivity %s is not (scale·learning_rate·clip_norm + √dimension)"
          + "(1 + 1e-9) = %s", l2Sensitivity, delta));
    }
    double t = DistributedGaussianSum.tau(shareVariance, maxContributors);
    if (t != tau) {
      out.add(String.format(Locale.ROOT, "tau %s is not τ_n(share_variance %s, n %d) = %s", tau, shareVariance,
          maxContributors, t));
    }
    double z = effectiveNoiseMultiplier();
    if (z != noiseMultiplier) {
      out.add(String.format(Locale.ROOT, "noise_multiplier %s is not the effective z = %s of its distributed "
          + "parameters", noiseMultiplier, z));
    }
    return out;
  }

  /** The lines these parameters add to a spend's signed bytes, in a fixed order, doubles in shortest round-trip form. */
  public String signedLines() {
    return "distributed.share_variance=" + Double.toString(shareVariance) + "\n"
        + "distributed.min_survivors=" + minSurvivors + "\n"
        + "distributed.max_contributors=" + maxContributors + "\n"
        + "distributed.dimension=" + dimension + "\n"
        + "distributed.scale=" + Double.toString(scale) + "\n"
        + "distributed.learning_rate=" + Double.toString(learningRate) + "\n"
        + "distributed.l2_sensitivity=" + Double.toString(l2Sensitivity) + "\n"
        + "distributed.tau=" + Double.toString(tau) + "\n"
        + "distributed.bits=" + bits + "\n"
        + "distributed.modulus_bits=" + modulusBits + "\n";
  }

  private static void check(boolean ok, String what, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("distributed parameters: " + what + ". Provided value: " + value);
    }
  }
}
