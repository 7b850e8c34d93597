package org.hedgerow.edge.model;

import java.util.ArrayList;
import java.util.List;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.edge.features.FeatureExtractor;

/**
 * The preference MLP's spec: {@link FeatureExtractor}'s features in, the given hidden layers (ReLU,
 * dropout), one sigmoid output, binary cross-entropy, Adam. It lives with the silo's features (whose
 * schema it names), so the coordinator service and the simulator build the same spec without either
 * depending on the other. Loads no DL4J classes.
 */
public final class PreferenceModelSpec {
  private PreferenceModelSpec() {}

  public static ModelSpec of(List<Integer> hidden, double dropout, double learningRate) {
    List<Integer> layers = new ArrayList<>();
    layers.add(FeatureExtractor.FEATURES);
    layers.addAll(hidden);
    layers.add(1);
    return new ModelSpec(FeatureExtractor.SCHEMA, layers, "relu", "sigmoid", dropout, "binary-cross-entropy",
        learningRate);
  }
}
