package org.hedgerow.edge.serve;

import org.hedgerow.aggregation.model.ModelSpec;

/**
 * The preference MLP's forward pass in plain Java over the flat parameter vector (the spec's layout:
 * per layer, weights {@code in × out} column-major as DL4J stores them, then biases). Serving scores a
 * few dozen rows per request from many threads at once: this is immutable, so thread-safe, and costs
 * microseconds where a DL4J call costs its per-call overhead and a lock.
 */
public final class MlpScorer {
  private final ModelSpec spec;
  private final float[] parameters;
  private final int[] offsets;
  private final int widest;

  public MlpScorer(ModelSpec spec, float[] parameters) {
    if (parameters.length != spec.parameterCount()) {
      throw new IllegalArgumentException("the model spec needs " + spec.parameterCount() + " parameters, got "
          + parameters.length);
    }
    if (!spec.outputActivation().equals("sigmoid") || spec.layerSizes().get(spec.layers()) != 1) {
      throw new IllegalArgumentException("serving needs one sigmoid output. Provided value: "
          + spec.outputActivation() + " × " + spec.layerSizes().get(spec.layers()));
    }
    activation(spec.hiddenActivation(), 0f); // an unknown activation fails here, not on the first request
    this.spec = spec;
    this.parameters = parameters.clone();
    this.offsets = spec.layerOffsets();
    this.widest = spec.layerSizes().stream().mapToInt(Integer::intValue).max().orElseThrow();
  }

  public ModelSpec spec() {
    return spec;
  }

  /** Scores {@code rows} feature vectors of {@code spec().inputs()} values each (row-major). */
  public float[] predict(float[] features, int rows) {
    int in0 = spec.inputs();
    if (features.length != (long) rows * in0) {
      throw new IllegalArgumentException("expected " + rows + " rows of " + in0 + " features, got " + features.length);
    }
    float[] out = new float[rows];
    float[] a = new float[widest];
    float[] b = new float[widest];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(features, r * in0, a, 0, in0);
      float[] cur = a;
      float[] next = b;
      for (int l = 0; l < spec.layers(); l++) {
        int in = spec.layerSizes().get(l);
        int outW = spec.layerSizes().get(l + 1);
        int w = offsets[l];
        int bias = w + in * outW;
        boolean last = l == spec.layers() - 1;
        for (int j = 0; j < outW; j++) {
          float z = parameters[bias + j];
          int col = w + j * in;
          for (int i = 0; i < in; i++) {
            z += cur[i] * parameters[col + i];
          }
          next[j] = last ? sigmoid(z) : activation(spec.hiddenActivation(), z);
        }
        float[] t = cur;
        cur = next;
        next = t;
      }
      out[r] = cur[0];
    }
    return out;
  }

  private static float sigmoid(float z) {
    return (float) (1 / (1 + Math.exp(-z)));
  }

  private static float activation(String name, float z) {
    switch (name) {
      case "relu":
        return Math.max(0f, z);
      case "tanh":
        return (float) Math.tanh(z);
      case "sigmoid":
        return sigmoid(z);
      case "identity":
        return z;
      default:
        throw new IllegalArgumentException("hidden activation '" + name + "' is not supported for serving "
            + "(relu, tanh, sigmoid, identity)");
    }
  }
}
