package org.hedgerow.edge.eval;

import java.util.HashMap;
import java.util.Map;

/**
 * A customer's personal scores looked up by product, for {@link Evaluator}. The ranker lists its
 * personal products ascending ({@link Ranker#personalItems}), so a binary search finds them without
 * boxing thousands of entries into a map per customer (a TIFU-KNN customer has every neighbour's
 * products). A list that is not strictly ascending keeps the map, whose last entry wins for a
 * repeated product, as before.
 */
final class PersonalScores {
  private final int[] items;
  private final float[] scores;
  private final Map<Integer, Float> byItem;

  PersonalScores(int[] items, float[] scores) {
    this.items = items;
    this.scores = scores;
    boolean ascending = true;
    for (int k = 1; k < items.length && ascending; k++) {
      ascending = items[k - 1] < items[k];
    }
    if (ascending) {
      byItem = null;
    } else {
      byItem = new HashMap<>(items.length * 2);
      for (int k = 0; k < items.length; k++) {
        byItem.put(items[k], scores[k]);
      }
    }
  }

  /** The personal score of {@code item}, or {@code otherwise} if it has none. */
  float scoreOr(int item, float otherwise) {
    if (byItem != null) {
      Float p = byItem.get(item);
      return p != null ? p : otherwise;
    }
    int at = java.util.Arrays.binarySearch(items, item);
    return at >= 0 ? scores[at] : otherwise;
  }
}
