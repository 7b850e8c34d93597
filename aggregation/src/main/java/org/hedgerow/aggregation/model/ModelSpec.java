package org.hedgerow.aggregation.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * What a flat parameter vector means: a fully connected network's layer sizes, activations and the
 * feature schema its input follows. The coordinator never builds the network; it checks every upload
 * against {@link #parameterCount()} and {@link #hash()}, so a client with another model or another
 * feature layout is refused instead of silently averaged in.
 *
 * <p>Parameter layout (DL4J's for dense layers): for each layer, its weights ({@code in × out}) then
 * its biases ({@code out}).
 *
 * @param featureSchema identifier of the input feature layout
 * @param layerSizes input width, hidden widths, output width
 * @param hiddenActivation activation of hidden layers (e.g. relu)
 * @param outputActivation activation of the output layer (e.g. sigmoid)
 * @param dropout dropout probability on hidden layers during training (0 for none)
 * @param loss loss function name (e.g. binary-cross-entropy)
 * @param learningRate Adam learning rate used by clients
 */
public record ModelSpec(
    String featureSchema,
    List<Integer> layerSizes,
    String hiddenActivation,
    String outputActivation,
    double dropout,
    String loss,
    double learningRate) {

  public ModelSpec {
    layerSizes = List.copyOf(layerSizes);
    if (layerSizes.size() < 2) {
      throw new IllegalArgumentException("a model needs at least an input and an output layer. Provided value: " + layerSizes);
    }
    for (int s : layerSizes) {
      if (s < 1) {
        throw new IllegalArgumentException("layer sizes must be >= 1. Provided value: " + layerSizes);
      }
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1). Provided value: " + dropout);
    }
    if (!(learningRate > 0 && Double.isFinite(learningRate))) {
      throw new IllegalArgumentException("learning rate must be > 0 and finite. Provided value: " + learningRate);
    }
  }

  /** The default of DESIGN.md: hidden 128-64-32, ReLU, dropout 0.5, sigmoid, binary cross-entropy, Adam 1e-3. */
  public static ModelSpec preferenceMlp(String featureSchema, int inputs) {
    return new ModelSpec(featureSchema, List.of(inputs, 128, 64, 32, 1), "relu", "sigmoid", 0.5,
        "binary-cross-entropy", 1e-3);
  }

  /**
   * The same model without dropout: same parameter layout, so parameters move freely between the
   * two. User-level DP training takes its per-customer gradients from this one (docs/privacy.md:
   * dropout masks would be randomness shared across customers).
   */
  public ModelSpec withoutDropout() {
    return new ModelSpec(featureSchema, layerSizes, hiddenActivation, outputActivation, 0.0, loss, learningRate);
  }

  public int inputs() {
    return layerSizes.get(0);
  }

  public int layers() {
    return layerSizes.size() - 1;
  }

  /** Number of parameters of layer {@code l} (0-based, weights and biases). */
  public int layerParameterCount(int l) {
    return layerSizes.get(l) * layerSizes.get(l + 1) + layerSizes.get(l + 1);
  }

  public int parameterCount() {
    int n = 0;
    for (int l = 0; l < layers(); l++) {
      n += layerParameterCount(l);
    }
    return n;
  }

  /** Start offset of each layer's block in the flat vector, plus the total at the end. */
  public int[] layerOffsets() {
    int[] offsets = new int[layers() + 1];
    for (int l = 0; l < layers(); l++) {
      offsets[l + 1] = offsets[l] + layerParameterCount(l);
    }
    return offsets;
  }

  /** A canonical text form; its SHA-256 is the {@link #hash()}. */
  public String canonical() {
    return "schema=" + featureSchema + ";layers=" + layerSizes + ";hidden=" + hiddenActivation + ";out="
        + outputActivation + ";dropout=" + dropout + ";loss=" + loss + ";lr=" + learningRate;
  }

  /** First 16 bytes of SHA-256 over {@link #canonical()}, hex. */
  public String hash() {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * Fresh parameters: Glorot-normal weights (variance 2 / (in + out), as DL4J's XAVIER), zero biases.
   * Seeded, so every run with the same seed starts from the same model; weight initialisation is
   * not a privacy mechanism, so a non-cryptographic generator is right here.
   */
  public float[] initialParameters(long seed) {
    Random rnd = new Random(seed);
    float[] p = new float[parameterCount()];
    int o = 0;
    for (int l = 0; l < layers(); l++) {
      int in = layerSizes.get(l);
      int out = layerSizes.get(l + 1);
      double sd = Math.sqrt(2.0 / (in + out));
      for (int k = 0; k < in * out; k++) {
        p[o++] = (float) (rnd.nextGaussian() * sd);
      }
      o += out;
    }
    return p;
  }

}
