package org.hedgerow.edge.eval;

import org.hedgerow.edge.features.CustomerHistory;

/**
 * Scores the catalogue for a customer. Split in two because most products get a score that does not
 * depend on the customer (see {@code FeatureExtractor}): a ranker names, per customer, the few
 * products whose score is personal, and evaluation ranks the whole catalogue exactly from the
 * shared scores plus those, without scoring the catalogue once per customer.
 */
public interface Ranker {
  /** Score of every catalogue item for a customer who has no personal score for it. */
  float[] unseenScores();

  /**
   * The products whose score for this customer may differ from {@link #unseenScores()}, ascending.
   * Must include every product the customer bought (evaluation tells repeats from new products by
   * the history, not by this list); the default is exactly those.
   */
  default int[] personalItems(CustomerHistory history) {
    return history.items();
  }

  /** Scores of {@code items}, all of them from {@link #personalItems} of this history. */
  float[] historyScores(CustomerHistory history, int[] items);
}
