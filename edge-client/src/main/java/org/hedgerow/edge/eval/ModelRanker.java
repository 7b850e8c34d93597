package org.hedgerow.edge.eval;

import org.hedgerow.edge.features.CustomerHistory;
import org.hedgerow.edge.features.FeatureExtractor;
import org.hedgerow.edge.model.PreferenceModel;

/** Ranks with the preference MLP over a silo's features. */
public final class ModelRanker implements Ranker {
  private final PreferenceModel model;
  private final FeatureExtractor features;
  private float[] unseen;

  public ModelRanker(PreferenceModel model, FeatureExtractor features) {
    this.model = model;
    this.features = features;
  }

  @Override
  public float[] unseenScores() {
    if (unseen == null) {
      int n = features.stats().size();
      float[] x = new float[n * FeatureExtractor.FEATURES];
      for (int i = 0; i < n; i++) {
        features.writeUnseen(i, x, i * FeatureExtractor.FEATURES);
      }
      unseen = model.predict(x, n);
    }
    return unseen;
  }

  /** The customer's own products and their co-purchase candidates (the only products with personal features). */
  @Override
  public int[] personalItems(CustomerHistory history) {
    int[] own = history.items();
    int[] fresh = features.newCandidates(history);
    if (fresh.length == 0) {
      return own;
    }
    return java.util.stream.IntStream.concat(java.util.Arrays.stream(own), java.util.Arrays.stream(fresh)).distinct()
        .sorted().toArray();
  }

  @Override
  public float[] historyScores(CustomerHistory history, int[] items) {
    float[] x = new float[items.length * FeatureExtractor.FEATURES];
    for (int k = 0; k < items.length; k++) {
      features.write(history, items[k], x, k * FeatureExtractor.FEATURES);
    }
    return model.predict(x, items.length);
  }
}
