package org.hedgerow.privacy.audit;

import org.apache.commons.math3.util.CombinatoricsUtils;

/**
 * The statistical test of a one-run privacy audit: Steinke, Nasr and Jagielski (2023), <i>Privacy
 * Auditing with One (1) Training Run</i>, NeurIPS 2023 (arXiv:2305.08846), main theorem for
 * approximate DP.
 *
 * <p><b>Setting.</b> m canaries are each put into the input independently with probability 1/2
 * (S ∈ {−1, +1}^m uniform). After one run of the mechanism an auditor, seeing only its output,
 * guesses "in" or "out" for r of them and abstains on the rest; v of the r guesses are correct.
 *
 * <p><b>Theorem (as used here).</b> If the mechanism is (ε, δ)-DP with respect to adding or
 * removing one canary, then for every v
 *
 * <pre>
 *   P[W ≥ v] ≤ f(v) + 2mδ · max_{i = 1..v} (f(v − i) − f(v)) / i,
 *   f(u) = P[Binomial(r, e^ε / (1 + e^ε)) ≥ u],
 * </pre>
 *
 * where W is the number of correct guesses. The right-hand side is {@link #pValue}: the p-value of
 * the hypothesis "the mechanism is (ε, δ)-DP" given the observation (m, r, v). f(v − i) − f(v) is
 * P[v − i ≤ Binomial(r, p) &lt; v]; all binomial terms are computed exactly (in log space, from
 * {@link CombinatoricsUtils#binomialCoefficientLog}) rather than by a normal approximation.
 *
 * <p><b>Lower bound.</b> {@link #epsilonLowerBound} returns the largest ε on the grid {0, h, 2h, …}
 * (h = {@link #GRID_STEP}) such that the hypothesis is rejected at level β = 1 − confidence
 * (p-value &lt; β) at that ε <em>and at every grid point below it</em>; 0 if it is not rejected at
 * ε = 0. Validity: if the mechanism is in fact (ε*, δ)-DP and the bound exceeds ε*, the test at the
 * fixed grid point ⌈ε*⌉ (≤ the bound) rejected, although the mechanism is also (⌈ε*⌉, δ)-DP; that
 * has probability &lt; β. Scanning upward from 0 rather than bisecting keeps this argument free of
 * any assumption that the p-value is monotone in ε (the δ term need not be).
 *
 * <p><b>Restriction 2mδ ≤ 1.</b> Then the p-value is non-increasing in v (f(v + 1) = f(v) − P[B =
 * v] and the max term grows by at most P[B = v]), so "reject when the p-value is below β" is a
 * level-β test. Larger δ is refused: the bound would be nearly vacuous anyway.
 *
 * <p>Everything here is pure arithmetic (no randomness, no training); the experiment that produces
 * (m, r, v) lives with the training code ({@code org.hedgerow.edge.dp.CanaryAudit}).
 */
public final class OneRunAudit {

  /** Grid points per unit of ε searched by {@link #epsilonLowerBound}. */
  private static final int GRID_POINTS_PER_UNIT = 1000;

  /** Resolution of the ε grid searched by {@link #epsilonLowerBound}: 0.001. */
  public static final double GRID_STEP = 1.0 / GRID_POINTS_PER_UNIT;

  /** The grid is never searched beyond this ε (the p-value is ≈ 1 long before for any r). */
  public static final double MAX_EPSILON = 100;

  private OneRunAudit() {}

  /**
   * The p-value of "the mechanism is (ε, δ)-DP" after v correct guesses out of r on m canaries
   * (the right-hand side of the theorem, capped at 1).
   *
   * @throws IllegalArgumentException unless 0 ≤ v ≤ r ≤ m, m ≥ 1, ε ≥ 0 and finite, δ ∈ [0, 1)
   *     and 2mδ ≤ 1; the message names the parameter and the value
   */
  public static double pValue(int m, int r, int v, double epsilon, double delta) {
    checkCounts(m, r, v);
    check(epsilon >= 0 && Double.isFinite(epsilon), "epsilon must be >= 0 and finite", epsilon);
    checkDelta(m, delta);
    return new Binomial(r).pValue(m, v, epsilon, delta);
  }

  /**
   * The largest ε on the grid at which (ε, δ)-DP is rejected at confidence {@code confidence}
   * (and at every grid point below), or 0; see the class comment.
   *
   * @param confidence 1 − β, in (0, 1); e.g. 0.95
   * @throws IllegalArgumentException on bad counts, δ, or confidence (the message names it)
   */
  public static double epsilonLowerBound(int m, int r, int v, double delta, double confidence) {
    checkCounts(m, r, v);
    checkDelta(m, delta);
    checkConfidence(confidence);
    double beta = 1 - confidence;
    Binomial b = new Binomial(r);
    double bound = 0;
    int maxSteps = (int) Math.round(MAX_EPSILON * GRID_POINTS_PER_UNIT);
    for (int j = 0; j <= maxSteps; j++) {
      double eps = j / (double) GRID_POINTS_PER_UNIT; // the double nearest j/1000
      if (!(b.pValue(m, v, eps, delta) < beta)) {
        return bound;
      }
      bound = eps;
    }
    return bound;
  }

  static void checkCounts(int m, int r, int v) {
    check(m >= 1, "canaries m must be >= 1", m);
    check(r >= 0 && r <= m, "guesses r must be in [0, m = " + m + "]", r);
    check(v >= 0 && v <= r, "correct guesses v must be in [0, r = " + r + "]", v);
  }

  static void checkDelta(int m, double delta) {
    check(delta >= 0 && delta < 1, "delta must be in [0, 1)", delta);
    check(2.0 * m * delta <= 1,
        "delta must be <= 1/(2m) = " + (0.5 / m) + " for m = " + m + " canaries (2*m*delta <= 1)", delta);
  }

  static void checkConfidence(double confidence) {
    check(confidence > 0 && confidence < 1, "confidence must be in (0, 1)", confidence);
  }

  private static void check(boolean ok, String what, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(what + ". Provided value: " + value);
    }
  }

  /** Binomial(r, p) probabilities for one r at varying p, from precomputed log C(r, k). */
  private static final class Binomial {
    private final int r;
    private final double[] logChoose;
    private final double[] pmf;

    Binomial(int r) {
      this.r = r;
      this.logChoose = new double[r + 1];
      for (int k = 0; k <= r; k++) {
        logChoose[k] = CombinatoricsUtils.binomialCoefficientLog(r, k);
      }
      this.pmf = new double[r + 1];
    }

    /** Fills {@link #pmf} for success probability e^ε / (1 + e^ε). */
    private void fill(double epsilon) {
      // log p = −log(1 + e^−ε), log(1 − p) = −ε − log(1 + e^−ε): accurate for every ε ≥ 0.
      double log1pe = Math.log1p(Math.exp(-epsilon));
      double logP = -log1pe;
      double logQ = -epsilon - log1pe;
      for (int k = 0; k <= r; k++) {
        pmf[k] = Math.exp(logChoose[k] + k * logP + (r - k) * logQ);
      }
    }

    double pValue(int m, int v, double epsilon, double delta) {
      fill(epsilon);
      double tail = 0; // f(v) = P[B ≥ v], summed from the small end up
      for (int k = r; k >= v; k--) {
        tail += pmf[k];
      }
      double p = tail;
      if (delta > 0) {
        double window = 0; // P[v − i ≤ B < v]
        double worst = 0;
        for (int i = 1; i <= v; i++) {
          window += pmf[v - i];
          worst = Math.max(worst, window / i);
        }
        p += 2.0 * m * delta * worst;
      }
      return Math.min(1, p);
    }
  }
}
