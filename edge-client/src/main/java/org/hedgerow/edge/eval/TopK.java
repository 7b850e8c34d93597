package org.hedgerow.edge.eval;

import java.util.Arrays;

/**
 * The top {@link Evaluator#K} of one customer's ranking when only some products have a (positive)
 * personal score: those first by score, equal scores and the remaining places by popularity. Used
 * to score validation baskets quickly while tuning; reusable across customers ({@link #clear}).
 */
final class TopK {
  private final float[] popularity;
  private final int[] byPopularity;
  private final int[] items = new int[Evaluator.K];
  private final double[] scores = new double[Evaluator.K];
  private int size;

  TopK(float[] popularity) {
    this.popularity = popularity;
    byPopularity = java.util.stream.IntStream.range(0, popularity.length).boxed()
        .sorted((a, b) -> a.equals(b) ? 0 : popularity[a] != popularity[b] ? Float.compare(popularity[b], popularity[a])
            : Integer.compare(a, b))
        .mapToInt(Integer::intValue).toArray();
  }

  void clear() {
    size = 0;
  }

  private boolean before(int i, double s, int j, double t) {
    if (s != t) {
      return s > t;
    }
    if (popularity[i] != popularity[j]) {
      return popularity[i] > popularity[j];
    }
    return i < j;
  }

  /** Offers product {@code i} with personal score {@code s} (> 0). */
  void offer(int i, double s) {
    if (size == items.length && !before(i, s, items[size - 1], scores[size - 1])) {
      return;
    }
    int p = size < items.length ? size++ : size - 1;
    while (p > 0 && before(i, s, items[p - 1], scores[p - 1])) {
      items[p] = items[p - 1];
      scores[p] = scores[p - 1];
      p--;
    }
    items[p] = i;
    scores[p] = s;
  }

  /** The top K, personal scores first, then the most popular products not among them. */
  int[] ranking() {
    int[] out = Arrays.copyOf(items, items.length);
    int n = size;
    for (int j = 0; n < out.length && j < byPopularity.length; j++) {
      int cand = byPopularity[j];
      boolean taken = false;
      for (int k = 0; k < size; k++) {
        taken |= items[k] == cand;
      }
      if (!taken) {
        out[n++] = cand;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * ndcg@K and hit (0/1) of the current top K for a basket, as {@link Evaluator} defines them
   * (unknown products, index < 0, count in the basket size and are never hit).
   */
  double[] ndcgAndHit(int[] basket) {
    int[] top = ranking();
    double dcg = 0;
    int hits = 0;
    for (int r = 0; r < top.length; r++) {
      for (int b : basket) {
        if (b == top[r]) {
          dcg += DISCOUNT[r];
          hits++;
          break;
        }
      }
    }
    double idcg = IDEAL_DCG[Math.min(Evaluator.K, basket.length)];
    return new double[] {idcg == 0 ? 0 : dcg / idcg, hits > 0 ? 1 : 0};
  }

  /**
   * 1 / log2(r + 2) for each rank r in the top K, computed once: tuning asks for millions of rankings and
   * the logarithms were most of its time. Same expression as before, so the same values to the last bit.
   */
  private static final double[] DISCOUNT = new double[Evaluator.K];
  /** IDEAL_DCG[m]: the discounts of ranks 0 .. m − 1 summed in rank order. */
  private static final double[] IDEAL_DCG = new double[Evaluator.K + 1];

  static {
    for (int r = 0; r < Evaluator.K; r++) {
      DISCOUNT[r] = 1.0 / (Math.log(r + 2) / Math.log(2));
      IDEAL_DCG[r + 1] = IDEAL_DCG[r] + DISCOUNT[r];
    }
  }
}
