package org.hedgerow.edge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.edge.features.FeatureExtractor;
import org.hedgerow.edge.features.TrainingSet;
import org.junit.jupiter.api.Test;

class PreferenceModelTest {
  private final ModelSpec spec = ModelSpec.preferenceMlp(FeatureExtractor.SCHEMA, FeatureExtractor.FEATURES);

  @Test
  void parameters_setThenGet_roundTripsExactly() {
    PreferenceModel m = new PreferenceModel(spec, 1);
    float[] p = spec.initialParameters(99);
    m.setParameters(p);
    assertArrayEquals(p, m.parameters());
    assertArrayEquals(p, ParameterCodec.decode(ParameterCodec.encode(m.parameters()), spec.parameterCount()));
  }

  @Test
  void parameterBlocks_matchSpecLayout_weightsThenBiasesPerLayer() {
    PreferenceModel m = new PreferenceModel(spec, 1);
    List<Integer> sizes = spec.layerSizes();
    List<String> blocks = m.parameterBlocks();
    assertEquals(2 * spec.layers(), blocks.size());
    for (int l = 0; l < spec.layers(); l++) {
      assertEquals(l + "_W:" + sizes.get(l) * sizes.get(l + 1), blocks.get(2 * l));
      assertEquals(l + "_b:" + sizes.get(l + 1), blocks.get(2 * l + 1));
    }
    int f = FeatureExtractor.FEATURES;
    assertEquals(f * 128 + 128 + 128 * 64 + 64 + 64 * 32 + 32 + 32 + 1, spec.parameterCount());
  }

  @Test
  void predict_sameParametersInTwoModels_sameScores() {
    float[] p = spec.initialParameters(5);
    PreferenceModel a = new PreferenceModel(spec, 1);
    PreferenceModel b = new PreferenceModel(spec, 2);
    a.setParameters(p);
    b.setParameters(p);
    float[] x = new float[3 * FeatureExtractor.FEATURES];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i % 7) / 7f;
    }
    assertArrayEquals(a.predict(x, 3), b.predict(x, 3));
  }

  @Test
  void fit_separableData_changesParametersAndScoresPositivesHigher() {
    int n = 512;
    int w = FeatureExtractor.FEATURES;
    float[] x = new float[n * w];
    float[] y = new float[n];
    float[] wt = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2;
      x[i * w] = y[i]; // the label is the first feature
      wt[i] = 1;
    }
    PreferenceModel m = new PreferenceModel(spec, 3);
    float[] before = m.parameters();
    m.fit(new TrainingSet(x, y, wt, n, n), 20, 64, 7);
    assertNotEquals(before[0], m.parameters()[0]);
    float[] s = m.predict(java.util.Arrays.copyOf(x, 2 * w), 2);
    org.junit.jupiter.api.Assertions.assertTrue(s[1] > s[0], "positive " + s[1] + " vs negative " + s[0]);
  }

  @Test
  void setParameters_wrongLength_rejected() {
    PreferenceModel m = new PreferenceModel(spec, 1);
    assertThrows(IllegalArgumentException.class, () -> m.setParameters(new float[3]));
  }

  @Test
  void gradient_duplicatedRows_sameMeanGradient() {
    ModelSpec noDropout = new ModelSpec(FeatureExtractor.SCHEMA, List.of(FeatureExtractor.FEATURES, 8, 1), "relu",
        "sigmoid", 0, "binary-cross-entropy", 1e-3);
    PreferenceModel m = new PreferenceModel(noDropout, 3);
    m.setParameters(noDropout.initialParameters(3));
    int f = FeatureExtractor.FEATURES;
    java.util.Random rnd = new java.util.Random(5);
    float[] x = new float[6 * f];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextFloat();
    }
    float[] y = {1, 0, 1, 1, 0, 1};
    float[] w = {2, 0.5f, 1, 2, 0.5f, 1};
    // Rows 3-5 repeat rows 0-2: the mean over all six equals the mean over the first three, so
    // DL4J's summed gradient is divided by the row count exactly once.
    System.arraycopy(x, 0, x, 3 * f, 3 * f);
    TrainingSet ts = new TrainingSet(x, y, w, 6, 1);
    double[] three = m.gradient(ts, 0, 3);
    double[] six = m.gradient(ts, 0, 6);
    assertEquals(noDropout.parameterCount(), three.length);
    double norm = 0;
    for (int i = 0; i < three.length; i++) {
      assertEquals(three[i], six[i], 1e-6 * (1 + Math.abs(three[i])));
      norm += three[i] * three[i];
    }
    assertNotEquals(0.0, norm);
    // Weight 0 removes a row: rows {0, 1, 2} with weights (w0, 0, 0) give a third of row 0 alone.
    float[] only0 = {w[0], 0, 0, 0, 0, 0};
    double[] masked = m.gradient(new TrainingSet(x, y, only0, 6, 1), 0, 3);
    double[] alone = m.gradient(new TrainingSet(x, y, only0, 6, 1), 0, 1);
    for (int i = 0; i < masked.length; i++) {
      assertEquals(alone[i] / 3, masked[i], 1e-6 * (1 + Math.abs(alone[i])));
    }
    assertArrayEquals(noDropout.initialParameters(3), m.parameters()); // parameters untouched
  }
}
