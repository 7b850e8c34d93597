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
}
