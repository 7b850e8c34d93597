package org.hedgerow.edge.eval;

import org.hedgerow.edge.features.CustomerHistory;

/**
 * Scores the catalogue for a customer. Split in two because every ranker here gives the same score
 * to a product the customer never bought, whoever the customer is (see {@code FeatureExtractor}):
 * that lets evaluation rank the whole catalogue exactly without scoring it once per customer.
 */
public interface Ranker {
  /** Score of every catalogue item for a customer who never bought it. */
  float[] unseenScores();

  /** Scores of {@code items}, all of which the customer bought before. */
  float[] historyScores(CustomerHistory history, int[] items);
}
