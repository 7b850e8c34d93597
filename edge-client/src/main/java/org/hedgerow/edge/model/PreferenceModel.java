package org.hedgerow.edge.model;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.edge.features.TrainingSet;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The preference MLP, built with DL4J from a {@link ModelSpec}. Parameters go in and out as one
 * flat float vector in the spec's layout, which is what travels to and from the coordinator.
 *
 * <p>Not thread-safe: one instance per training worker.
 */
public final class PreferenceModel {
  private final ModelSpec spec;
  private final MultiLayerNetwork net;

  public PreferenceModel(ModelSpec spec, long seed) {
    this.spec = spec;
    this.net = new MultiLayerNetwork(configuration(spec, seed));
    net.init();
    if (net.numParams() != spec.parameterCount()) {
      throw new IllegalStateException("DL4J built " + net.numParams() + " parameters, the spec says "
          + spec.parameterCount() + ": the layouts disagree");
    }
  }

  static MultiLayerConfiguration configuration(ModelSpec spec, long seed) {
    if (!spec.loss().equals("binary-cross-entropy") || !spec.outputActivation().equals("sigmoid")) {
      throw new IllegalArgumentException("only sigmoid outputs with binary cross-entropy are supported. Provided value: "
          + spec.outputActivation() + "/" + spec.loss());
    }
    Activation hidden = Activation.valueOf(spec.hiddenActivation().toUpperCase(java.util.Locale.ROOT));
    NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(DataType.FLOAT)
        .updater(new Adam(spec.learningRate()))
        .weightInit(WeightInit.XAVIER)
        .list();
    List<Integer> sizes = spec.layerSizes();
    // DL4J applies a layer's dropOut to that layer's *input*. Dropout belongs after each hidden
    // layer, so it is set on every layer but the first: dropping raw input features of a small
    // tabular model throws away most of its signal.
    double retain = 1.0 - spec.dropout(); // DL4J takes the probability of keeping an activation
    for (int l = 0; l < sizes.size() - 2; l++) {
      DenseLayer.Builder layer = new DenseLayer.Builder().nIn(sizes.get(l)).nOut(sizes.get(l + 1)).activation(hidden);
      if (spec.dropout() > 0 && l > 0) {
        layer.dropOut(retain);
      }
      b.layer(layer.build());
    }
    OutputLayer.Builder out = new OutputLayer.Builder(LossFunctions.LossFunction.XENT)
        .nIn(sizes.get(sizes.size() - 2)).nOut(sizes.get(sizes.size() - 1))
        .activation(Activation.SIGMOID);
    if (spec.dropout() > 0 && sizes.size() > 2) {
      out.dropOut(retain);
    }
    b.layer(out.build());
    return b.build();
  }

  public ModelSpec spec() {
    return spec;
  }

  /** A copy of the parameters in the spec's flat layout. */
  public float[] parameters() {
    return net.params().dup().data().asFloat();
  }

  public void setParameters(float[] p) {
    if (p.length != spec.parameterCount()) {
      throw new IllegalArgumentException("expected " + spec.parameterCount() + " parameters, got " + p.length);
    }
    net.setParams(Nd4j.createFromArray(p).reshape(1, p.length));
  }

  /** Forgets Adam's moment estimates, so each round starts from the global model alone. */
  public void resetOptimizer() {
    INDArray state = net.getUpdater().getStateViewArray();
    if (state != null) {
      state.assign(0);
    }
  }

  /**
   * As {@link #resetOptimizer}, and Adam's step count back to 0, so the next fit bias-corrects as a
   * first fit does: a network reused for many simulated devices then trains each as a device with a
   * fresh optimiser would, whatever it trained before.
   */
  public void resetOptimizerAndStepCount() {
    resetOptimizer();
    net.setIterationCount(0);
    net.setEpochCount(0);
  }

  /**
   * Weighted minibatch training on {@code data} for {@code epochs} passes, seeded by {@code seed}.
   *
   * <p>Example weights are honoured by importance resampling: each epoch draws {@code size} rows
   * with replacement, each with probability proportional to its weight, and trains on them
   * unweighted. The expected loss is then the weighted loss up to a constant factor. DL4J's label
   * mask is not used for this because it does not scale a row's gradient linearly (measured: a
   * mask of 2 scales it about 5×, 3 about 14×); it is exact only for weights 0 and 1.
   *
   * @return mean minibatch loss of the last epoch
   */
  public double fit(TrainingSet data, int epochs, int batchSize, long seed) {
    if (data.size() == 0) {
      return Double.NaN;
    }
    int n = data.size();
    int width = data.width();
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
    Nd4j.getRandom().setSeed(seed); // dropout masks come from ND4J's generator
    float[] xs = new float[data.features().length];
    float[] ys = new float[n];
    WeightedSampler sampler = new WeightedSampler(data.weights());
    double lastLoss = Double.NaN;
    for (int e = 0; e < epochs; e++) {
      // Resample once per epoch in plain Java, then hand DL4J contiguous row blocks (views, no copies).
      int[] order = sampler.draw(n, rnd);
      for (int r = 0; r < n; r++) {
        int src = order[r];
        System.arraycopy(data.features(), src * width, xs, r * width, width);
        ys[r] = data.labels()[src];
      }
      // The flat arrays own the native buffers (their reshapes are views): those are what is released.
      INDArray xFlat = Nd4j.createFromArray(xs);
      INDArray yFlat = Nd4j.createFromArray(ys);
      INDArray x = xFlat.reshape(n, width);
      INDArray y = yFlat.reshape(n, 1);
      double lossSum = 0;
      int batches = 0;
      try {
        for (int start = 0; start < n; start += batchSize) {
          int end = Math.min(n, start + batchSize);
          INDArrayIndex rows = NDArrayIndex.interval(start, end);
          net.fit(x.get(rows, NDArrayIndex.all()), y.get(rows, NDArrayIndex.all()));
          lossSum += net.score();
          batches++;
        }
      } finally {
        release(xFlat, yFlat);
      }
      lastLoss = lossSum / batches;
    }
    return lastLoss;
  }

  /**
   * The gradient, at the current parameters and in the spec's flat layout, of the training loss
   * over rows {@code [from, to)} of {@code data}, averaged over the n = to − from rows: exactly
   * what {@link #fit} would step along for a minibatch of these rows (example weights enter as
   * DL4J's label mask, as in {@code fit}). Dropout is applied as in training; its masks come from
   * ND4J's generator, independent of the data. Parameters and optimizer state are left unchanged.
   *
   * <p>Caveat, measured: DL4J applies a column label mask more than once on this path (to dL/da and
   * to dL/dz for per-output masks), so a weight w ∉ {0, 1} scales a row's gradient by more than w
   * (≈ w² or above). Weights 0 and 1 behave exactly; {@code fit} has the same behaviour.
   */
  public double[] gradient(TrainingSet data, int from, int to) {
    int n = to - from;
    if (from < 0 || n < 1 || to > data.size()) {
      throw new IllegalArgumentException("rows [" + from + ", " + to + ") are not a non-empty range of " + data.size());
    }
    int width = data.width();
    INDArray xFlat = Nd4j.createFromArray(java.util.Arrays.copyOfRange(data.features(), from * width, to * width));
    INDArray yFlat = Nd4j.createFromArray(java.util.Arrays.copyOfRange(data.labels(), from, to));
    INDArray wFlat = Nd4j.createFromArray(java.util.Arrays.copyOfRange(data.weights(), from, to));
    INDArray x = xFlat.reshape(n, width);
    INDArray y = yFlat.reshape(n, 1);
    INDArray w = wFlat.reshape(n, 1);
    net.setInput(x);
    net.setLabels(y);
    net.setLayerMaskArrays(null, w);
    try {
      net.computeGradientAndScore();
      // DL4J leaves the gradient summed over the minibatch (its updater divides by the batch
      // size at fit time), so the mean is taken here.
      double[] g = net.gradient().gradient().castTo(DataType.DOUBLE).data().asDouble();
      for (int i = 0; i < g.length; i++) {
        g[i] /= n;
      }
      return g;
    } finally {
      net.clearLayerMaskArrays();
      release(xFlat, yFlat, wFlat);
    }
  }

  /** Scores {@code rows} feature vectors (row-major); dropout is off at inference. */
  public float[] predict(float[] features, int rows) {
    if (rows == 0) {
      return new float[0];
    }
    if (features.length != (long) rows * spec.inputs()) {
      throw new IllegalArgumentException("expected " + rows + " rows of " + spec.inputs() + " features, got "
          + features.length + " values");
    }
    INDArray flat = Nd4j.createFromArray(features);
    INDArray out = net.output(flat.reshape(rows, spec.inputs()), false);
    try {
      return out.data().asFloat();
    } finally {
      release(out, flat);
    }
  }

  /**
   * Frees the native buffers of arrays this class made, now: left to the garbage collector, they pile
   * up off-heap (a small Java object can hold megabytes of native memory) until JavaCPP's limit forces a
   * collection.
   */
  private static void release(INDArray... arrays) {
    for (INDArray a : arrays) {
      if (a != null && a.closeable()) {
        a.close();
      }
    }
  }

  /**
   * Draws row indices with probability proportional to non-negative weights.
   *
   * <p>Each draw is the first index whose cumulative weight exceeds a uniform u. A guide table (the
   * answer's range per slice of [0, total)) narrows the binary search to a few rows instead of all
   * of them, whose cumulative array (3.5 MB for the pooled examples) missed the cache at every step
   * (profiled: the largest Java frame of training). The range is checked against u before it is
   * used and the whole array searched if it does not hold, so every draw is the plain search's.
   */
  static final class WeightedSampler {
    private final double[] cumulative;
    /** guide[b]: the first index whose cumulative weight exceeds b × total / (guide.length − 1). */
    private final int[] guide;

    WeightedSampler(float[] weights) {
      cumulative = new double[weights.length];
      double sum = 0;
      for (int i = 0; i < weights.length; i++) {
        if (!(weights[i] >= 0) || !Float.isFinite(weights[i])) {
          throw new IllegalArgumentException("example weight " + i + " must be finite and >= 0. Provided value: " + weights[i]);
        }
        sum += weights[i];
        cumulative[i] = sum;
      }
      if (!(sum > 0)) {
        throw new IllegalArgumentException("example weights must not all be zero");
      }
      int buckets = weights.length;
      guide = new int[buckets + 1];
      int i = 0;
      for (int b = 0; b <= buckets; b++) {
        double edge = sum * b / buckets;
        while (i < cumulative.length - 1 && cumulative[i] <= edge) {
          i++;
        }
        guide[b] = i;
      }
    }

    int[] draw(int count, java.util.SplittableRandom rnd) {
      double total = cumulative[cumulative.length - 1];
      int[] out = new int[count];
      for (int k = 0; k < count; k++) {
        double u = rnd.nextDouble() * total;
        int b = Math.min(guide.length - 2, (int) (u / total * (guide.length - 1)));
        int lo = guide[b];
        int hi = guide[b + 1];
        // The answer lies in [lo, hi] when every row before lo is at most u and row hi exceeds it;
        // rounding at a slice's edge can break that, and then the whole array is searched.
        if ((lo > 0 && cumulative[lo - 1] > u) || !(cumulative[hi] > u)) {
          lo = 0;
          hi = cumulative.length - 1;
        }
        while (lo < hi) { // first index whose cumulative weight exceeds u: zero weights never win
          int mid = (lo + hi) >>> 1;
          if (cumulative[mid] > u) {
            hi = mid;
          } else {
            lo = mid + 1;
          }
        }
        out[k] = lo;
      }
      return out;
    }
  }



  /** Names of the DL4J parameter blocks in layout order, for checking against the spec. */
  List<String> parameterBlocks() {
    List<String> out = new ArrayList<>();
    net.paramTable().forEach((k, v) -> out.add(k + ":" + v.length()));
    return out;
  }
}
