package org.hedgerow.edge.features;

/**
 * Weighted, labelled examples in row-major order.
 *
 * <p>When built by {@link TrainingSetBuilder}, each customer's examples are contiguous: customer k
 * owns rows {@code [customerOffsets[k], customerOffsets[k + 1])}. That grouping is what user-level
 * differential privacy needs (the unit of privacy is a customer, not a row). Sets built without
 * it (the five-argument constructor) have {@code customerOffsets == null}.
 *
 * @param features {@code size × FeatureExtractor.FEATURES} values
 * @param labels 1 for a product of the next basket, 0 otherwise
 * @param weights loss weight of each example (inverse sampling probability; see TrainingSetBuilder)
 * @param size number of examples
 * @param customers number of distinct customers contributing examples
 * @param customerOffsets {@code customers + 1} increasing row offsets, or null if unknown
 */
public record TrainingSet(float[] features, float[] labels, float[] weights, int size, int customers,
    int[] customerOffsets) {

  public TrainingSet {
    if (customerOffsets != null) {
      if (customerOffsets.length != customers + 1 || customerOffsets[0] != 0 || customerOffsets[customers] != size) {
        throw new IllegalArgumentException("customer offsets must be customers + 1 values from 0 to size");
      }
      for (int k = 0; k < customers; k++) {
        if (customerOffsets[k + 1] <= customerOffsets[k]) {
          throw new IllegalArgumentException("customer offsets must be strictly increasing (every customer has examples)");
        }
      }
    }
  }

  /** Examples without a per-customer grouping. */
  public TrainingSet(float[] features, float[] labels, float[] weights, int size, int customers) {
    this(features, labels, weights, size, customers, null);
  }

  public int width() {
    return size == 0 ? FeatureExtractor.FEATURES : features.length / size;
  }

  /** Whether rows are grouped by customer (see {@link #customerOffsets()}). */
  public boolean groupedByCustomer() {
    return customerOffsets != null;
  }
}
