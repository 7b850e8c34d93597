package org.hedgerow.edge.serve;

import java.util.HashMap;
import java.util.Map;
import org.hedgerow.edge.features.CustomerHistory;

/**
 * One customer's history over a snapshot's catalogue, with what a recommendation needs from it computed
 * on first use and kept: the model's scores of the products they bought and the neighbour similarity of
 * the products they did not. Replaced, never changed, when their events arrive.
 */
public final class CustomerProfile {
  private final CustomerHistory history;
  private final int[] items;
  private volatile float[] historyScores;
  private volatile Map<Integer, Float> similarity;
  private volatile float maxSimilarity;

  CustomerProfile(CustomerHistory history) {
    this.history = history;
    this.items = history.items();
  }

  public CustomerHistory history() {
    return history;
  }

  /** Products bought before, ascending. */
  int[] items() {
    return items;
  }

  boolean isEmpty() {
    return items.length == 0;
  }

  float[] historyScores(ServingSnapshot s) {
    float[] h = historyScores;
    if (h == null) { // computed at most a few times under a race; every result is the same
      h = s.ranker().historyScores(history, items);
      historyScores = h;
    }
    return h;
  }

  /** Summed similarity of each product new to the customer to the products they bought. */
  Map<Integer, Float> similarity(ServingSnapshot s) {
    Map<Integer, Float> m = similarity;
    if (m == null) {
      m = new HashMap<>();
      float max = 0;
      for (int i : items) {
        int[] nb = s.neighbours().of(i);
        float[] sim = s.neighbours().similarities(i);
        for (int k = 0; k < nb.length; k++) {
          if (!history.contains(nb[k])) {
            max = Math.max(max, m.merge(nb[k], sim[k], Float::sum));
          }
        }
      }
      maxSimilarity = max;
      similarity = m;
    }
    return m;
  }

  float maxSimilarity() {
    return maxSimilarity;
  }
}
