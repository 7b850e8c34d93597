package org.hedgerow.edge.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.edge.features.FeatureExtractor;
import org.hedgerow.edge.model.PreferenceModel;
import org.hedgerow.edge.model.PreferenceModelSpec;
import org.junit.jupiter.api.Test;

class MlpScorerTest {
  @Test
  void predict_randomParameters_matchesDl4j() {
    ModelSpec spec = PreferenceModelSpec.of(List.of(128, 64, 32), 0.5, 1e-3);
    float[] p = spec.initialParameters(7);
    SplittableRandom rnd = new SplittableRandom(3);
    for (int i = 0; i < p.length; i++) { // non-zero biases too, so a layout mistake in them shows
      p[i] += (float) (rnd.nextGaussian() * 0.05);
    }
    PreferenceModel dl4j = new PreferenceModel(spec, 1);
    dl4j.setParameters(p);
    int rows = 50;
    float[] x = new float[rows * FeatureExtractor.FEATURES];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextDouble();
    }
    float[] expected = dl4j.predict(x, rows);
    float[] got = new MlpScorer(spec, p).predict(x, rows);
    for (int r = 0; r < rows; r++) {
      assertEquals(expected[r], got[r], 1e-5, "row " + r);
    }
  }
}
