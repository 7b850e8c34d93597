package org.hedgerow.edge.dp;

import org.hedgerow.edge.features.TrainingSet;
import org.hedgerow.edge.model.PreferenceModel;

/**
 * The DL4J {@link PreferenceModel}'s per-customer gradients: customer k's contribution is the
 * gradient of the weighted mean loss over exactly that customer's rows of the training set.
 */
public final class ModelGradients implements GradientSource {
  private final PreferenceModel model;
  private final TrainingSet data;

  /** @throws IllegalArgumentException if the set does not record which rows belong to which customer */
  public ModelGradients(PreferenceModel model, TrainingSet data) {
    if (!data.groupedByCustomer()) {
      throw new IllegalArgumentException("user-level DP needs examples grouped by customer (TrainingSetBuilder output)");
    }
    this.model = model;
    this.data = data;
  }

  @Override
  public int dimension() {
    return model.spec().parameterCount();
  }

  @Override
  public int customers() {
    return data.customers();
  }

  @Override
  public void setParameters(float[] parameters) {
    model.setParameters(parameters);
  }

  @Override
  public double[] gradient(int customer) {
    int[] off = data.customerOffsets();
    return model.gradient(data, off[customer], off[customer + 1]);
  }
}
