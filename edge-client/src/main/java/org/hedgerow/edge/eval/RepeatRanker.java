package org.hedgerow.edge.eval;

import org.hedgerow.edge.features.CustomerHistory;
import org.hedgerow.edge.features.ItemStats;

/**
 * The {@code repeat} baseline: the customer's own most-bought products first (by number of baskets,
 * then global popularity), the rest of the catalogue after them by global popularity.
 */
public final class RepeatRanker implements Ranker {
  private final float[] popularity;

  public RepeatRanker(ItemStats pooled) {
    popularity = new float[pooled.size()];
    int max = 0;
    for (int i = 0; i < popularity.length; i++) {
      max = Math.max(max, pooled.customers(i));
    }
    for (int i = 0; i < popularity.length; i++) {
      // In [0, 1): never enough to lift an unbought product over one bought once.
      popularity[i] = (float) pooled.customers(i) / (max + 1);
    }
  }

  @Override
  public float[] unseenScores() {
    return popularity;
  }

  @Override
  public float[] historyScores(CustomerHistory history, int[] items) {
    float[] out = new float[items.length];
    for (int k = 0; k < items.length; k++) {
      out[k] = history.baskets(items[k]) + popularity[items[k]];
    }
    return out;
  }
}
