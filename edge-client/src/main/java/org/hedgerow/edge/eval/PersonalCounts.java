package org.hedgerow.edge.eval;

import java.util.Arrays;

/**
 * One customer's view of the catalogue for {@link Evaluator}: how many candidates score strictly above
 * a score and how many tie with it, where the products with a personal score carry it instead of
 * their unseen score.
 *
 * <p>Counted with binary searches on sorted copies of the personal products' unseen and personal
 * scores instead of a pass over them per query: a TIFU-KNN customer has thousands of personal
 * products (every neighbour's), and the evaluator asks once per target and once per past product
 * (profiled: the largest share of the evaluator's own time). The counts are integers, so they are
 * exactly those of the pass, and so is every metric computed from them. A NaN among the personal
 * scores would break the sorted order's agreement with {@code >} and {@code ==}; then the pass is kept.
 */
final class PersonalCounts {
  private final float[] unseen;
  private final float[] sorted;
  private final int[] own;
  private final float[] ownScores;
  /** The personal products' unseen and personal scores, ascending; null: count with the pass. */
  private final float[] ownUnseenSorted;
  private final float[] ownScoresSorted;

  /**
   * @param unseen every product's unseen score
   * @param sorted {@code unseen}, ascending
   * @param own the customer's personal products
   * @param ownScores their personal scores
   */
  PersonalCounts(float[] unseen, float[] sorted, int[] own, float[] ownScores) {
    this.unseen = unseen;
    this.sorted = sorted;
    this.own = own;
    this.ownScores = ownScores;
    float[] u = new float[own.length];
    boolean nan = false;
    for (int j = 0; j < own.length; j++) {
      u[j] = unseen[own[j]];
      nan |= Float.isNaN(u[j]) || Float.isNaN(ownScores[j]);
    }
    if (nan) {
      ownUnseenSorted = null;
      ownScoresSorted = null;
    } else {
      Arrays.sort(u);
      ownUnseenSorted = u;
      ownScoresSorted = ownScores.clone();
      Arrays.sort(ownScoresSorted);
    }
  }

  /**
   * {above, tied}: candidates scoring strictly above {@code s}, and those tying with it (the item
   * itself not counted).
   */
  long[] aboveAndTied(float s) {
    int upper = upperBound(sorted, s);
    long above = unseen.length - upper;
    long tied = upper - lowerBound(sorted, s);
    if (ownUnseenSorted == null) {
      for (int j = 0; j < own.length; j++) {
        float u = unseen[own[j]];
        if (u > s) {
          above--;
        } else if (u == s) {
          tied--;
        }
        float p = ownScores[j];
        if (p > s) {
          above++;
        } else if (p == s) {
          tied++;
        }
      }
    } else {
      int uUpper = upperBound(ownUnseenSorted, s);
      above -= ownUnseenSorted.length - uUpper;
      tied -= uUpper - lowerBound(ownUnseenSorted, s);
      int pUpper = upperBound(ownScoresSorted, s);
      above += ownScoresSorted.length - pUpper;
      tied += pUpper - lowerBound(ownScoresSorted, s);
    }
    return new long[] {above, tied - 1};
  }

  /** First index with sorted[i] > s. */
  static int upperBound(float[] sorted, float s) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] > s) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** First index with sorted[i] >= s. */
  static int lowerBound(float[] sorted, float s) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] >= s) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
