package org.hedgerow.privacy.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Turns canary scores into membership guesses and an ε lower bound (Steinke, Nasr, Jagielski 2023,
 * see {@link OneRunAudit}): guess "in" for the k highest scores, "out" for the k lowest, abstain on
 * the rest (r = 2k guesses).
 *
 * <p><b>Several k, honestly.</b> As in the paper, several k are tried and the best bound is kept.
 * Taking a maximum over K tests would overstate the confidence, so each k is tested at level β/|K|
 * (β = 1 − confidence): by the union bound the probability that <em>any</em> of them exceeds the
 * true ε is below β, and so is the probability that the reported maximum does.
 *
 * <p>The scores must be computed from the mechanism's output (and anything independent of which
 * canaries were included); {@code included} is read only to count correct guesses. Ties are broken
 * by canary index, which does not depend on inclusion.
 */
public final class TopKGuesses {

  private TopKGuesses() {}

  /**
   * The outcome of one k.
   *
   * @param perSide k: guesses "in" and guesses "out"
   * @param guesses r = 2k
   * @param correct v
   * @param epsilonLowerBound the bound at the per-test confidence
   */
  public record Trial(int perSide, int guesses, int correct, double epsilonLowerBound) {}

  /**
   * The audit's result.
   *
   * @param canaries m
   * @param best the k with the largest bound (the first such in {@code trials} on ties)
   * @param trials every k tried, in the order given
   * @param confidence the overall confidence 1 − β of the reported bound
   * @param perTestConfidence 1 − β/|K|, the confidence each k was tested at
   * @param delta δ of the hypothesis tested
   */
  public record Outcome(int canaries, Trial best, List<Trial> trials, double confidence, double perTestConfidence,
      double delta) {
    public Outcome {
      trials = List.copyOf(trials);
    }

    /** The reported lower bound on ε: the best trial's. */
    public double epsilonLowerBound() {
      return best.epsilonLowerBound();
    }
  }

  /**
   * The default k: ⌊m/2⌋, ⌊m/4⌋, … halving while k ≥ 5, at most 5 values (for m = 1000: 500, 250,
   * 125, 62, 31 — from all canaries guessed down to the 6% most extreme).
   *
   * @throws IllegalArgumentException if m &lt; 2
   */
  public static int[] defaultPerSide(int m) {
    if (m < 2) {
      throw new IllegalArgumentException("canaries m must be >= 2. Provided value: " + m);
    }
    List<Integer> ks = new ArrayList<>();
    for (int k = m / 2; ks.isEmpty() || (k >= 5 && ks.size() < 5); k /= 2) {
      ks.add(k);
    }
    return ks.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Guesses top-k "in" and bottom-k "out" for each k in {@code perSide} and returns the largest
   * bound, each k tested at confidence 1 − (1 − confidence)/|K|.
   *
   * @throws IllegalArgumentException if the arrays differ in length or are shorter than 2, a score
   *     is NaN, a k is outside [1, m/2], {@code perSide} is empty, or δ / confidence are bad (see
   *     {@link OneRunAudit}); messages name the parameter
   */
  public static Outcome evaluate(double[] scores, boolean[] included, double delta, double confidence,
      int[] perSide) {
    int m = scores.length;
    if (included.length != m) {
      throw new IllegalArgumentException("included must have one entry per score (" + m + "). Provided value: "
          + included.length);
    }
    if (m < 2) {
      throw new IllegalArgumentException("canaries m must be >= 2. Provided value: " + m);
    }
    OneRunAudit.checkDelta(m, delta);
    OneRunAudit.checkConfidence(confidence);
    if (perSide.length == 0) {
      throw new IllegalArgumentException("perSide must list at least one k. Provided value: []");
    }
    for (int k : perSide) {
      if (k < 1 || k > m / 2) {
        throw new IllegalArgumentException("perSide k must be in [1, m/2 = " + m / 2 + "]. Provided value: " + k);
      }
    }
    for (int i = 0; i < m; i++) {
      if (Double.isNaN(scores[i])) {
        throw new IllegalArgumentException("scores must not be NaN. Provided value: NaN at canary " + i);
      }
    }
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    // Highest score first; ties by index.
    Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));

    double perTest = 1 - (1 - confidence) / perSide.length;
    List<Trial> trials = new ArrayList<>();
    Trial best = null;
    for (int k : perSide) {
      int correct = 0;
      for (int j = 0; j < k; j++) {
        if (included[order[j]]) {
          correct++;
        }
        if (!included[order[m - 1 - j]]) {
          correct++;
        }
      }
      Trial t = new Trial(k, 2 * k, correct, OneRunAudit.epsilonLowerBound(m, 2 * k, correct, delta, perTest));
      trials.add(t);
      if (best == null || t.epsilonLowerBound() > best.epsilonLowerBound()) {
        best = t;
      }
    }
    return new Outcome(m, best, trials, confidence, perTest, delta);
  }
}
