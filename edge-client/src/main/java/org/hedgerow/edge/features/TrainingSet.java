package org.hedgerow.edge.features;

/**
 * Weighted, labelled examples in row-major order.
 *
 * @param features {@code size × FeatureExtractor.FEATURES} values
 * @param labels 1 for a product of the next basket, 0 otherwise
 * @param weights loss weight of each example (inverse sampling probability; see TrainingSetBuilder)
 * @param size number of examples
 * @param customers number of distinct customers contributing examples
 */
public record TrainingSet(float[] features, float[] labels, float[] weights, int size, int customers) {
  public int width() {
    return size == 0 ? FeatureExtractor.FEATURES : features.length / size;
  }
}
