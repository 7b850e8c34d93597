package org.hedgerow.edge.serve;

import java.util.HashMap;
import java.util.Map;
import org.hedgerow.edge.features.CustomerHistory;

/**
 * One customer's history over a snapshot's catalogue, with everything a recommendation needs from it
 * computed up front — the model's scores of the products they bought, the neighbour similarity of
 * those they did not, and the greedy ranking they make — so that a request only slices it and explores. Built off the event loop (at a
 * rebuild, or on the write path of their events) and replaced, never changed.
 */
public final class CustomerProfile {
  private final CustomerHistory history;
  private final int[] items;
  private final float[] historyScores;
  private final Map<Integer, Float> similarity;
  private final float maxSimilarity;
  private final java.util.List<SlatePolicy.Pick> ranked;

  CustomerProfile(CustomerHistory history, ServingSnapshot s) {
    this.history = history;
    this.items = history.items();
    this.historyScores = items.length == 0 ? new float[0] : s.ranker().historyScores(history, items);
    Map<Integer, Float> m = new HashMap<>();
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
    this.similarity = m;
    this.maxSimilarity = max;
    this.ranked = items.length == 0 ? java.util.List.of() : SlatePolicy.rank(s, this, SlatePolicy.MAX_SLATE);
  }

  /** The customer's greedy top {@link SlatePolicy#MAX_SLATE}, best first (what a request slices). */
  java.util.List<SlatePolicy.Pick> ranked() {
    return ranked;
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

  /** The model's scores of {@link #items()}, in the same order. */
  float[] historyScores() {
    return historyScores;
  }

  /** Summed similarity of each product new to the customer to the products they bought. */
  Map<Integer, Float> similarity() {
    return similarity;
  }

  float maxSimilarity() {
    return maxSimilarity;
  }
}
