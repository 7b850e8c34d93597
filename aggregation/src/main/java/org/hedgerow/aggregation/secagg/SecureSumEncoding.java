package org.hedgerow.aggregation.secagg;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;
import org.hedgerow.aggregation.quantization.QuantizationParams;
import org.hedgerow.aggregation.quantization.StochasticQuantizer;
import org.hedgerow.aggregation.quantization.SumDequantizer;

/**
 * How one client's weighted FedAvg contribution is written into {@code Z_{2^32}} so that the secure
 * sum of all contributions yields exactly what FedAvg needs, {@code Σ nₖΔₖ} and {@code Σ nₖ}, and
 * nothing per client.
 *
 * <p>A client with delta Δ (dimension d) and weight n sends a vector of dimension d + 1:
 * <ul>
 *   <li>coordinates 0…d−1: {@code (ñ/W) · clip(Δᵢ, c)}, stochastically rounded on the grid of
 *       {@link QuantizationParams}{@code (c, bits, 32)}, where {@code ñ = min(n, W)} and W is the
 *       public weight cap. Since {@code ñ/W ≤ 1} the value lies in {@code [−c, c]}, so the
 *       quantiser never clips a second time;
 *   <li>coordinate d: the integer ñ itself, exactly (no rounding), as a residue.
 * </ul>
 * Why the weight rides inside the masked vector: the sum then covers exactly the clients whose
 * inputs survived, whoever dropped out, and the coordinator learns only Σ ñₖ, not each nₖ.
 *
 * <p><b>No overflow.</b> Every coordinate of one input is an integer of absolute value at most
 * {@code 2^{bits−1} − 1} (the weight because {@code W ≤ 2^{bits−1} − 1}, checked), and {@code bits}
 * is at most {@code 32 − ⌈log₂ n⌉} for n clients (checked by {@link #decode}), so the sum of n
 * inputs never wraps and centring recovers the signed integer sum.
 *
 * <p><b>Error.</b> The weight sum is exact. Each client's rounding moves its Δ-part by less than one
 * step {@code s = c/(2^{bits−1} − 1)} per coordinate, so with m summands the released mean
 * {@code W·Ŝ/Σñ} differs from the FedAvg mean of the clipped deltas with capped weights,
 * {@code Σ ñₖ clip(Δₖ)/Σ ñₖ}, by less than {@link #meanErrorBound}{@code = m·s·W/Σñ} per
 * coordinate, and is an unbiased estimate of it. With the defaults (c = 1, 14 clients, bits = 28,
 * W = 2^20, Σñ ≈ 4·10⁵) that is about 3·10⁻⁷, below float32 resolution of typical parameters.
 * Clients with n &gt; W are counted with weight W: a documented departure from plain FedAvg.
 *
 * @param clip c &gt; 0: per-coordinate bound on a delta
 * @param bits quantisation bits k ∈ [2, 32]
 * @param weightCap W ∈ [1, 2^{bits−1} − 1]
 */
public record SecureSumEncoding(double clip, int bits, long weightCap) {
  public static final int MODULUS_BITS = 32;
  /** Default weight cap: above the largest silo of the bundled data (≈ 10⁵ examples). */
  public static final long DEFAULT_WEIGHT_CAP = 1L << 20;
  public static final double DEFAULT_CLIP = 1.0;

  public SecureSumEncoding {
    if (!(clip > 0) || !Double.isFinite(clip)) {
      throw new IllegalArgumentException("clip must be > 0 and finite. Provided value: " + clip);
    }
    if (bits < 2 || bits > MODULUS_BITS) {
      throw new IllegalArgumentException("bits must be in [2, 32]. Provided value: " + bits);
    }
    long maxWeight = (1L << (bits - 1)) - 1;
    if (weightCap < 1 || weightCap > maxWeight) {
      throw new IllegalArgumentException(String.format(
          "weight cap must be in [1, 2^(bits-1) - 1 = %d] for bits = %d. Provided value: %d", maxWeight, bits, weightCap));
    }
  }

  /**
   * The encoding for {@code clients} summands: {@code bits} defaults to the largest that cannot
   * overflow, {@code weightCap} to {@code min(2^20, 2^{bits−1} − 1)}.
   */
  public static SecureSumEncoding forClients(int clients, double clip, Integer bits, Long weightCap) {
    int maxBits = QuantizationParams.maxBitsFor(clients, MODULUS_BITS);
    int k = bits == null ? maxBits : bits;
    if (k > maxBits) {
      throw new IllegalArgumentException(String.format(
          "bits must be <= 32 - ceil(log2(%d clients)) = %d so that the sum cannot overflow. Provided value: %d",
          clients, maxBits, k));
    }
    long w = weightCap == null ? Math.min(DEFAULT_WEIGHT_CAP, (1L << (k - 1)) - 1) : weightCap;
    return new SecureSumEncoding(clip, k, w);
  }

  /** Grid of the Δ-part. */
  public QuantizationParams deltaParams() {
    return new QuantizationParams(clip, bits, MODULUS_BITS);
  }

  /** Real value of one quantisation step of the Δ-part. */
  public double step() {
    return deltaParams().step();
  }

  /** Length of an encoded vector for a model of {@code parameters} parameters. */
  public static int dimensionFor(int parameters) {
    return parameters + 1;
  }

  /** Encodes with rounding coins from a fresh {@link SecureRandom}. */
  public int[] encode(float[] delta, long weight) {
    return encode(delta, weight, org.hedgerow.privacy.noise.NoiseSource.random("secure-sum-encoding"));
  }

  /**
   * Encodes one client's contribution (see the class comment).
   *
   * @param coins must be cryptographically secure: the rounding pattern depends on the private delta
   * @throws IllegalArgumentException weight &lt; 1, or a non-finite delta entry
   */
  public int[] encode(float[] delta, long weight, RandomGenerator coins) {
    if (delta == null) {
      throw new IllegalArgumentException("delta must not be null");
    }
    if (weight < 1) {
      throw new IllegalArgumentException("weight must be >= 1. Provided value: " + weight);
    }
    long w = Math.min(weight, weightCap);
    double factor = (double) w / weightCap;
    double[] x = new double[delta.length];
    for (int i = 0; i < x.length; i++) {
      float d = delta[i];
      if (!Float.isFinite(d)) {
        throw new IllegalArgumentException("delta[" + i + "] must be finite. Provided value: " + d);
      }
      x[i] = factor * Math.max(-clip, Math.min(clip, d)); // clip first: the bound is on Δ, not on the scaled value
    }
    int[] q = new StochasticQuantizer(deltaParams(), coins).quantizeToInts(x);
    int[] out = new int[delta.length + 1];
    System.arraycopy(q, 0, out, 0, q.length);
    out[delta.length] = (int) w; // w ≤ 2^31 − 1: a non-negative int is its own residue
    return out;
  }

  /** The secure sum, decoded: {@code weightedDeltaSum ≈ Σ ñₖ clip(Δₖ)} and {@code totalWeight = Σ ñₖ} exactly. */
  public record Decoded(double[] weightedDeltaSum, long totalWeight, int summands) {
    /** The FedAvg mean {@code weightedDeltaSum / totalWeight}. */
    public double[] mean() {
      double[] m = new double[weightedDeltaSum.length];
      for (int i = 0; i < m.length; i++) {
        m[i] = weightedDeltaSum[i] / totalWeight;
      }
      return m;
    }
  }

  /**
   * Decodes the modular sum of {@code summands} encoded vectors.
   *
   * @throws IllegalArgumentException the sum could have wrapped ({@code summands · 2^bits > 2^32}),
   *     or the weight coordinate is not in {@code [summands, summands · W]} (inputs were not
   *     produced by {@link #encode})
   */
  public Decoded decode(int[] sum, int summands) {
    if (sum == null || sum.length < 2) {
      throw new IllegalArgumentException("sum must have at least 2 coordinates");
    }
    if (summands < 1) {
      throw new IllegalArgumentException("summands must be >= 1. Provided value: " + summands);
    }
    int d = sum.length - 1;
    int[] deltaPart = java.util.Arrays.copyOf(sum, d);
    double[] s = new SumDequantizer(deltaParams()).dequantize(deltaPart, summands); // checks capacity
    long total = sum[d] & 0xffffffffL; // non-negative and < 2^31 · … bounded by capacity: no centring needed
    if (total < summands || total > summands * weightCap) {
      throw new IllegalArgumentException(String.format(
          "weight sum %d is outside [%d, %d] for %d summands: the inputs were not well-formed encodings",
          total, summands, summands * weightCap, summands));
    }
    for (int i = 0; i < d; i++) {
      s[i] *= weightCap;
    }
    return new Decoded(s, total, summands);
  }

  /** Per-coordinate bound on |decoded mean − FedAvg mean of the clipped deltas|: {@code m · step · W / Σñ}. */
  public double meanErrorBound(int summands, long totalWeight) {
    return summands * step() * weightCap / totalWeight;
  }
}
