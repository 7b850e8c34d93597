package org.hedgerow.privacy.budget;

import java.nio.charset.StandardCharsets;
import org.hedgerow.privacy.accounting.DistributedGaussianParameters;

/**
 * One entry of a privacy budget's log: what one holder (a silo, or the coordinator in central mode)
 * released, and its total ε afterwards.
 *
 * <p>Two kinds share the record. A <b>release</b> ({@code round == 0}) is a one-off Gaussian
 * mechanism of L2 sensitivity 1 made before any training round (a silo's DP item statistics and
 * customer count); it is accounted as {@code GaussianEvent(σ)}. A <b>round</b> ({@code round ≥ 1})
 * is {@code steps} Poisson-sampled Gaussian steps at rate q with noise σ·C, accounted as
 * {@code DpEvent.sampledGaussian(σ, q, steps)}. {@link SpendAccounting} turns a log of them into
 * ε; the holder and every verifier use that one function, so their figures agree bit for bit.
 *
 * @param round federated round the release belongs to; 0 for a pre-training release
 * @param holder whose budget was charged (silo name)
 * @param mechanism what ran, e.g. {@code dp-sgd-user}, {@code central-gaussian}, {@code silo-stats-gaussian}
 * @param noiseMultiplier σ: noise standard deviation over the L2 sensitivity
 * @param sampleRate Poisson sampling probability q of each unit (customer or client); 1 for a release
 * @param steps noisy steps in this round; 1 for a release
 * @param epsilon total ε of the holder after this entry, by the RDP accountant at {@code delta}
 * @param delta the holder's δ
 * @param cap the holder's ε cap
 * @param clipNorm C, the L2 bound on one unit's contribution (the sensitivity: 1 for a release); the
 *     noise added had standard deviation σ·C
 * @param counter 0-based position of this entry in the holder's own log; consecutive, never reused
 * @param distributed for a round of distributed DP, every parameter its accounting used (σ² per share,
 *     t, n, d, the scale, Δ, τ, bits): its noise multiplier is then their effective z, recomputed by
 *     {@link SpendAccounting}; null for every other mechanism
 */
public record Spend(int round, String holder, String mechanism, double noiseMultiplier, double sampleRate,
    long steps, double epsilon, double delta, double cap, double clipNorm, long counter,
    DistributedGaussianParameters distributed) {

  /** Column names of {@link #csv()}, as written to {@code privacy.csv}. */
  public static final String CSV_HEADER =
      "round,silo,mechanism,noise_multiplier,sample_rate,steps,epsilon,delta,cap,clip_norm,counter";

  public Spend {
    if (round < 0) {
      throw new IllegalArgumentException("round must be >= 0. Provided value: " + round);
    }
    if (holder == null || holder.isEmpty() || mechanism == null || mechanism.isEmpty()) {
      throw new IllegalArgumentException("a spend needs a holder and a mechanism");
    }
    if (counter < 0) {
      throw new IllegalArgumentException("counter must be >= 0. Provided value: " + counter);
    }
  }

  /** A spend of a centrally or locally noised mechanism (no distributed parameters). */
  public Spend(int round, String holder, String mechanism, double noiseMultiplier, double sampleRate, long steps,
      double epsilon, double delta, double cap, double clipNorm, long counter) {
    this(round, holder, mechanism, noiseMultiplier, sampleRate, steps, epsilon, delta, cap, clipNorm, counter, null);
  }

  /**
   * The noise multiplier the accountant composes: the distributed parameters' effective z when they are
   * recorded (so ε follows from them, not from the figure written beside them), else {@code noiseMultiplier}.
   */
  public double accountedNoiseMultiplier() {
    return distributed == null ? noiseMultiplier : distributed.effectiveNoiseMultiplier();
  }

  /** Whether this is a one-off pre-training release (round 0) rather than a training round. */
  public boolean isRelease() {
    return round == 0;
  }

  public String csv() {
    return String.format(java.util.Locale.ROOT, "%d,%s,%s,%.17g,%.17g,%d,%.17g,%.17g,%.17g,%.17g,%d", round, holder,
        mechanism, noiseMultiplier, sampleRate, steps, epsilon, delta, cap, clipNorm, counter);
  }

  /**
   * The canonical bytes of this spend, which the holder signs: one {@code key=value} line per field
   * in a fixed order, doubles in Java's shortest round-trip form, so every verifier rebuilds them exactly.
   * A spend with distributed parameters is version 3 and signs them too (so none can be edited);
   * every other spend keeps version 2's bytes, so signatures made before stay valid.
   */
  public byte[] signedBytes() {
    String text = (distributed == null ? "hedgerow-spend-v2\n" : "hedgerow-spend-v3\n")
        + "counter=" + counter + "\n"
        + "round=" + round + "\n"
        + "holder=" + holder + "\n"
        + "mechanism=" + mechanism + "\n"
        + "noise_multiplier=" + Double.toString(noiseMultiplier) + "\n"
        + "clip_norm=" + Double.toString(clipNorm) + "\n"
        + "sample_rate=" + Double.toString(sampleRate) + "\n"
        + "steps=" + steps + "\n"
        + "epsilon=" + Double.toString(epsilon) + "\n"
        + "delta=" + Double.toString(delta) + "\n"
        + "cap=" + Double.toString(cap) + "\n"
        + (distributed == null ? "" : distributed.signedLines());
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
