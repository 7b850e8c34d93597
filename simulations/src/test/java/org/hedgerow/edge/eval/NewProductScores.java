package org.hedgerow.edge.eval;

import org.hedgerow.edge.features.CustomerHistory;

/** Test-scope access to {@link NewProductScorer}'s summed scores, for developer studies (package-private there). */
public final class NewProductScores {
  private NewProductScores() {}

  /** The scorer's summed score of every product for this customer (bought ones included; callers skip them). */
  public static float[] of(NewProductScorer scorer, CustomerHistory history) {
    return scorer.scores(history);
  }
}
