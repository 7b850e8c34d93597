package org.hedgerow.aggregation.secagg;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;
import org.hedgerow.privacy.accounting.DistributedGaussianParameters;
import org.hedgerow.privacy.accounting.DistributedGaussianSum;
import org.hedgerow.privacy.clipping.L2Clipping;
import org.hedgerow.privacy.crypto.ChaChaRandom;
import org.hedgerow.privacy.noise.DistributedDiscreteGaussian;

/**
 * How a silo writes its round of <em>distributed</em> DP (user-level DP-FedSGD under secure
 * aggregation, after Kairouz, Liu, Steinke 2021) into the same {@code Z_{2^32}} vector layout as
 * {@link SecureSumEncoding}, so the coordinator decodes it with that encoding and hands the mean to
 * its strategy unchanged.
 *
 * <p><b>What a silo sends.</b> For every customer u with training examples (no sampling: q = 1) the
 * gradient g_u of u's own examples at the global model, clipped to L2 norm C; the real contribution
 * is {@code −η·clip(g_u, C)} (so the decoded mean is one SGD step of rate η on the mean clipped
 * gradient, the pseudo-delta the server optimiser takes). Each customer's contribution is scaled to
 * integer units by γ = 1/(step·W) — the inverse of what {@link SecureSumEncoding#decode} multiplies
 * by — and stochastically rounded <em>on its own</em>, then the silo sums the integer vectors, clamps
 * every coordinate to ±L (room for n silos and the noise in the ring), adds its share N_Z(0, σ²) per
 * coordinate ({@link DistributedDiscreteGaussian}) and appends its weight round(N̂) (the DP customer
 * count, already released).
 *
 * <p><b>Sensitivity: one customer, who lives in one silo.</b> Adding or removing customer u changes
 * the summed integer vector of u's silo by u's rounded vector R_u and nothing else: the other
 * customers' rounded vectors have the same law either way (fresh coins per customer), the other
 * silos do not hold u, and the clamp is a coordinate-wise contraction. Each R_u is checked in exact
 * integer arithmetic to satisfy ‖R_u‖₂ ≤ γηC + √d (each coordinate's rounding moves it by less than
 * 1) and re-rounded with fresh coins otherwise — conditional randomised rounding with the
 * deterministic bound, which therefore never fires except on floating-point edge cases. So the sum
 * over all silos is an integer query of L2 sensitivity Δ = (γηC + √d)(1 + 10⁻⁹) on d coordinates,
 * and with t surviving shares it is ρ-zCDP by {@link DistributedGaussianSum#rho}; the rounding costs
 * a factor (1 + √d/(γηC)) on Δ, which the coordinator keeps small by its choice of γ.
 *
 * <p>The reduction into {@code Z_{2^32}}, the masks and the decode are post-processing. A sum whose
 * true value left ±2^31 would decode wrongly (utility, not privacy); the clamp rules that out.
 *
 * @param sum the session's secure-sum encoding (bits, weight cap, the clip that fixes γ)
 * @param terms the announced distributed-DP terms of the session
 * @param parameters d, the model's parameter count
 */
public record DistributedDpEncoding(SecureSumEncoding sum, DistributedDpTerms terms, int parameters) {
  /** Re-rounding attempts before giving up (the deterministic bound makes one enough). */
  static final int MAX_ROUNDING_ATTEMPTS = 20;

  public DistributedDpEncoding {
    if (sum == null || terms == null) {
      throw new IllegalArgumentException("sum encoding and terms must not be null");
    }
    if (parameters < 1) {
      throw new IllegalArgumentException("parameters must be >= 1. Provided value: " + parameters);
    }
  }

  /** γ: integer units per real unit, the inverse of the decode's scale {@code step·W}. */
  public double scale() {
    return 1 / (sum.step() * sum.weightCap());
  }

  /** ηC: the L2 bound on one customer's real contribution. */
  public double contributionBound() {
    return terms.learningRate() * terms.clipNorm();
  }

  /** Bound on ‖R_u‖₂ that every rounded customer vector is checked against: γηC + √d. */
  double roundedNormBound() {
    return DistributedGaussianSum.roundedNormBound(scale(), terms.learningRate(), terms.clipNorm(), parameters);
  }

  /** Δ, the L2 sensitivity of the summed integer vector to one customer (the bound plus 10⁻⁹ relative slack). */
  public double l2Sensitivity() {
    return DistributedGaussianSum.sensitivity(scale(), terms.learningRate(), terms.clipNorm(), parameters);
  }

  /** The factor by which rounding inflates the sensitivity: Δ/(γηC). */
  public double roundingInflation() {
    return l2Sensitivity() / (scale() * contributionBound());
  }

  /**
   * z: the Gaussian noise multiplier equivalent of one released sum with at least t of n shares
   * ({@link DistributedGaussianSum#effectiveNoiseMultiplier}); what a silo's ledger spend records.
   */
  public double effectiveNoiseMultiplier() {
    return DistributedGaussianSum.effectiveNoiseMultiplier(l2Sensitivity(), terms.shareVariance(),
        terms.minSurvivors(), terms.maxContributors(), parameters);
  }

  /**
   * Everything the accounting of this round uses (σ², t, n, d, γ, η, Δ, τ, bits and the ring), as the
   * silo's ledger entry records it; its {@code effectiveNoiseMultiplier()} is this plan's.
   */
  public DistributedGaussianParameters ledgerParameters() {
    return DistributedGaussianParameters.of(terms.shareVariance(), terms.minSurvivors(), terms.maxContributors(),
        parameters, scale(), terms.learningRate(), terms.clipNorm(), sum.bits(), SecureSumEncoding.MODULUS_BITS);
  }

  /** Per-coordinate clamp L of a silo's integer sum, leaving room for n silos and 64 standard deviations of noise. */
  public long coordinateLimit() {
    double noise = 64 * Math.sqrt(terms.maxContributors() * terms.shareVariance());
    long limit = (long) Math.floor((Integer.MAX_VALUE - noise) / terms.maxContributors());
    if (limit < 1) {
      throw new IllegalArgumentException("the noise of " + terms.maxContributors() + " shares of variance "
          + terms.shareVariance() + " does not fit the 32-bit ring");
    }
    return limit;
  }

  /** An accumulator for one silo's round, with rounding coins from a ChaCha20 stream seeded by a fresh {@link SecureRandom}. */
  public Accumulator accumulator() {
    return new Accumulator(ChaChaRandom.seededFrom(org.hedgerow.privacy.noise.NoiseSource.random("distributed-dp-rounding")),
        new DistributedDiscreteGaussian());
  }

  /** Seam for tests: explicit coins and noise mechanism. */
  Accumulator accumulator(RandomGenerator coins, DistributedDiscreteGaussian noise) {
    return new Accumulator(coins, noise);
  }

  /** One silo's integer sum under construction; not thread-safe, use once. */
  public final class Accumulator {
    private final RandomGenerator coins;
    private final DistributedDiscreteGaussian noise;
    private final long[] total = new long[parameters];
    private final double factor = -terms.learningRate() * scale();
    private final double boundSquared = roundedNormBound() * roundedNormBound();
    private int customers;
    private int clipped;
    private boolean finished;

    Accumulator(RandomGenerator coins, DistributedDiscreteGaussian noise) {
      this.coins = coins;
      this.noise = noise;
    }

    /**
     * Adds one customer's gradient: clipped to C here, scaled by −ηγ, rounded on its own with the
     * norm check, then summed.
     *
     * @throws IllegalArgumentException wrong length or a non-finite entry
     */
    public void addCustomer(double[] gradient) {
      if (finished) {
        throw new IllegalStateException("this accumulator was already finished");
      }
      if (gradient == null || gradient.length != parameters) {
        throw new IllegalArgumentException("a customer gradient must have " + parameters + " entries. Provided length: "
            + (gradient == null ? "null" : gradient.length));
      }
      for (int i = 0; i < gradient.length; i++) {
        if (!Double.isFinite(gradient[i])) {
          throw new IllegalArgumentException("gradient[" + i + "] must be finite. Provided value: " + gradient[i]);
        }
      }
      double[] g = gradient;
      if (!L2Clipping.isWithin(g, terms.clipNorm())) {
        g = L2Clipping.clip(g, terms.clipNorm());
        clipped++;
      }
      long[] rounded = roundWithinBound(g);
      for (int i = 0; i < parameters; i++) {
        total[i] += rounded[i];
      }
      customers++;
    }

    private long[] roundWithinBound(double[] g) {
      long[] r = new long[parameters];
      for (int attempt = 0; attempt < MAX_ROUNDING_ATTEMPTS; attempt++) {
        long sumSquares = 0;
        for (int i = 0; i < parameters; i++) {
          double v = factor * g[i];
          double floor = Math.floor(v);
          r[i] = (long) floor + (coins.nextDouble() < v - floor ? 1 : 0);
          sumSquares += r[i] * r[i];
        }
        if (sumSquares <= boundSquared) {
          return r;
        }
      }
      throw new IllegalStateException("could not round a customer's contribution within the L2 bound "
          + roundedNormBound() + " in " + MAX_ROUNDING_ATTEMPTS + " attempts");
    }

    /** Customers added so far. */
    public int customers() {
      return customers;
    }

    /** Of those, how many had a gradient norm above C. */
    public int clipped() {
      return clipped;
    }

    /**
     * The silo's input to the secure sum: clamped integer sum plus its noise share, then the weight,
     * all as residues mod 2^32 ({@code d + 1} coordinates, the layout of {@link SecureSumEncoding}).
     *
     * @param weight round(N̂), the silo's DP customer count; counted up to the weight cap
     * @return the input and how many coordinates the clamp moved
     */
    public Encoded finish(long weight) {
      if (weight < 1) {
        throw new IllegalArgumentException("weight must be >= 1. Provided value: " + weight);
      }
      finished = true;
      long limit = coordinateLimit();
      long[] clamped = new long[parameters];
      int moved = 0;
      for (int i = 0; i < parameters; i++) {
        clamped[i] = Math.max(-limit, Math.min(limit, total[i]));
        if (clamped[i] != total[i]) {
          moved++;
        }
      }
      long[] noisy = noise.addShare(clamped, terms.shareVariance());
      int[] out = new int[parameters + 1];
      for (int i = 0; i < parameters; i++) {
        out[i] = (int) noisy[i]; // the low 32 bits: the residue mod 2^32
      }
      out[parameters] = (int) Math.min(weight, sum.weightCap());
      java.util.Arrays.fill(total, 0);
      return new Encoded(out, customers, clipped, moved);
    }
  }

  /**
   * A finished input.
   *
   * @param input residues mod 2^32, d + 1 coordinates
   * @param customers customers whose gradients are in it
   * @param clipped of those, how many were clipped
   * @param clampedCoordinates coordinates the ±L clamp moved (0 in any normal round)
   */
  public record Encoded(int[] input, int customers, int clipped, int clampedCoordinates) {}
}
