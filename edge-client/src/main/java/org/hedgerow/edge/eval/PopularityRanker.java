package org.hedgerow.edge.eval;

import org.hedgerow.edge.features.CustomerHistory;
import org.hedgerow.edge.features.ItemStats;

/** The {@code popularity} baseline: global best-sellers (distinct buyers over all training data), same list for all. */
public final class PopularityRanker implements Ranker {
  private final float[] scores;

  public PopularityRanker(ItemStats pooled) {
    scores = new float[pooled.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = pooled.customers(i);
    }
  }

  @Override
  public float[] unseenScores() {
    return scores;
  }

  @Override
  public float[] historyScores(CustomerHistory history, int[] items) {
    float[] out = new float[items.length];
    for (int k = 0; k < items.length; k++) {
      out[k] = scores[items[k]];
    }
    return out;
  }
}
