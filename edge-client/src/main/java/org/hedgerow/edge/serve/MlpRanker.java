package org.hedgerow.edge.serve;

import org.hedgerow.edge.eval.Ranker;
import org.hedgerow.edge.features.CustomerHistory;
import org.hedgerow.edge.features.FeatureExtractor;

/** Ranks with the global model's plain-Java forward pass over the silo's features (thread-safe). */
public final class MlpRanker implements Ranker {
  private final MlpScorer scorer;
  private final FeatureExtractor features;

  public MlpRanker(MlpScorer scorer, FeatureExtractor features) {
    this.scorer = scorer;
    this.features = features;
  }

  @Override
  public float[] unseenScores() {
    int n = features.stats().size();
    float[] x = new float[n * FeatureExtractor.FEATURES];
    for (int i = 0; i < n; i++) {
      features.writeUnseen(i, x, i * FeatureExtractor.FEATURES);
    }
    return scorer.predict(x, n);
  }

  @Override
  public float[] historyScores(CustomerHistory history, int[] items) {
    float[] x = new float[items.length * FeatureExtractor.FEATURES];
    for (int k = 0; k < items.length; k++) {
      features.write(history, items[k], x, k * FeatureExtractor.FEATURES);
    }
    return scorer.predict(x, items.length);
  }
}
