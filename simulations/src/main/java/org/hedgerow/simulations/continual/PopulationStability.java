package org.hedgerow.simulations.continual;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Population stability index between two count distributions over the same labels:
 * PSI = Σ (p − q) · ln(p / q) over bins (Yurdakul 2018, "Statistical properties of population stability
 * index"). Labels are binned into the {@code bins} most frequent over both periods plus one "other" bin,
 * so that thousands of rare products do not turn sampling noise into drift; each bin's count gets 0.5 added
 * before normalising, so an empty bin does not make the index infinite.
 */
public final class PopulationStability {
  /** The usual rule of thumb: below 0.1 stable, 0.1–0.2 some shift, above 0.2 a real move. */
  public static final double MOVED_THRESHOLD = 0.2;

  private PopulationStability() {}

  /** The index and what sampling alone would give. */
  public record Result(double psi, double noiseFloor, int bins) {}

  public static <T> Result of(Map<T, Integer> before, Map<T, Integer> after, int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("bins must be >= 1. Provided value: " + bins);
    }
    Map<T, Integer> both = new HashMap<>(before);
    after.forEach((k, v) -> both.merge(k, v, Integer::sum));
    List<Map.Entry<T, Integer>> ranked = new ArrayList<>(both.entrySet());
    ranked.sort(Map.Entry.<T, Integer>comparingByValue(Comparator.reverseOrder())
        .thenComparing(e -> String.valueOf(e.getKey())));
    int top = Math.min(bins, ranked.size());
    double[] p = new double[top + 1];
    double[] q = new double[top + 1];
    double nBefore = 0;
    double nAfter = 0;
    for (int b = 0; b < top; b++) {
      T label = ranked.get(b).getKey();
      p[b] = before.getOrDefault(label, 0);
      q[b] = after.getOrDefault(label, 0);
    }
    for (int v : before.values()) {
      nBefore += v;
    }
    for (int v : after.values()) {
      nAfter += v;
    }
    if (nBefore == 0 || nAfter == 0) {
      return new Result(Double.NaN, Double.NaN, top + 1);
    }
    double inTopBefore = 0;
    double inTopAfter = 0;
    for (int b = 0; b < top; b++) {
      inTopBefore += p[b];
      inTopAfter += q[b];
    }
    p[top] = nBefore - inTopBefore;
    q[top] = nAfter - inTopAfter;
    int k = p.length;
    double psi = 0;
    for (int b = 0; b < k; b++) {
      double pb = (p[b] + 0.5) / (nBefore + 0.5 * k);
      double qb = (q[b] + 0.5) / (nAfter + 0.5 * k);
      psi += (qb - pb) * Math.log(qb / pb);
    }
    return new Result(psi, noiseFloor(k, nBefore, nAfter), k);
  }

  /**
   * The mean PSI of two samples of sizes {@code n1} and {@code n2} drawn from one population over
   * {@code bins} bins: under no drift PSI is approximately chi-square with bins − 1 degrees of freedom
   * scaled by (1/n1 + 1/n2) (Yurdakul 2018). Twice this mean is above its 99th percentile for
   * bins = 21 (χ²₂₀: P(> 40) ≈ 0.005).
   */
  public static double noiseFloor(int bins, double n1, double n2) {
    return (bins - 1) * (1 / n1 + 1 / n2);
  }
}
