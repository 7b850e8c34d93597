package org.hedgerow.edge.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.edge.features.FeatureExtractor;
import org.hedgerow.edge.features.TrainingSet;
import org.hedgerow.edge.model.PreferenceModel;
import org.hedgerow.privacy.accounting.DpEvent;
import org.hedgerow.privacy.accounting.RdpAccountant;
import org.hedgerow.privacy.noise.GaussianNoise;
import org.junit.jupiter.api.Test;

/**
 * The one-run audit around the real {@link UserLevelDpTrainer}. The background customers here are
 * synthetic (random gradients well above C, so every one is clipped) to keep the tests fast; the
 * auditor subtracts their realised contribution, so the scores do not depend on what they are. One
 * test runs the real DL4J gradients of a small synthetic training set.
 */
class CanaryAuditTest {
  private static final double DELTA = 1e-5;

  /** Customer k's gradient: a fixed random vector of norm 3 (so clipped), whatever the parameters. */
  private static GradientSource randomCustomers(int n, int d, long seed) {
    Random rnd = new Random(seed);
    double[][] g = new double[n][d];
    for (double[] row : g) {
      double norm = 0;
      for (int i = 0; i < d; i++) {
        row[i] = rnd.nextGaussian();
        norm += row[i] * row[i];
      }
      double scale = 3 / Math.sqrt(norm);
      for (int i = 0; i < d; i++) {
        row[i] *= scale;
      }
    }
    return new GradientSource() {
      @Override
      public int dimension() {
        return d;
      }

      @Override
      public int customers() {
        return n;
      }

      @Override
      public void setParameters(float[] parameters) {}

      @Override
      public double[] gradient(int customer) {
        return g[customer].clone();
      }
    };
  }

  /** σ calibrated to the claim exactly as a silo does: C 1, q 0.5, 5 steps per round, 10 rounds. */
  private static DpConfig silo(double epsilonCap) {
    return DpConfig.calibrated(1.0, 0.5, 5, 0.003, epsilonCap, DELTA, 10, 0, 0);
  }

  private static double accountant(DpConfig c, long steps) {
    return new RdpAccountant().compose(DpEvent.sampledGaussian(c.noiseMultiplier(), c.sampleRate(), steps))
        .epsilon(c.delta()).epsilon();
  }

  @Test
  void run_noNoiseAtClaimedEpsilonOne_lowerBoundExceedsClaim() {
    DpConfig c = silo(1);
    int d = 400;
    List<String> progress = new ArrayList<>();
    CanaryAudit.Result r = CanaryAudit.run(c, 10, randomCustomers(20, d, 1), new float[d], 200, 0.95, true,
        new Random(2), new Random(3), (x, sd) -> x.clone(), progress::add);
    assertEquals(accountant(c, 50), r.claimedEpsilon());
    assertTrue(r.claimedEpsilon() <= 1);
    // Without noise every guess is right (an included canary is missed only if never sampled in
    // 50 steps, probability 2^-50): 200 perfect guesses give about 3.3 at 95%.
    assertEquals(r.outcome().best().guesses(), r.outcome().best().correct());
    assertTrue(r.epsilonLowerBound() > 1, "lower bound " + r.epsilonLowerBound());
    assertTrue(r.epsilonLowerBound() > 3, "lower bound " + r.epsilonLowerBound());
    assertEquals(50, r.steps());
    assertEquals(10, progress.size());
  }

  /**
   * With the real noise the bound must not exceed the claim. This is a statistical test: if the
   * training is (ε, δ)-DP as claimed, the bound exceeds ε with probability below 5% by the theorem
   * (per assertion; both claims below, with the same statement). In practice the one-run bound at
   * these claims is far below them, so the test fails only if the implementation leaks.
   */
  @Test
  void run_withNoiseAtClaimedEpsilon_lowerBoundDoesNotExceedClaim() {
    for (double claim : new double[] {2, 8}) {
      DpConfig c = silo(claim);
      int d = 2000;
      CanaryAudit.Result r = CanaryAudit.run(c, 10, randomCustomers(30, d, 4), new float[d], 1000, 0.95, false,
          new java.security.SecureRandom(), new java.security.SecureRandom(), new GaussianNoise()::addNoise, s -> {});
      assertTrue(r.claimedEpsilon() <= claim);
      assertTrue(r.epsilonLowerBound() <= r.claimedEpsilon(),
          "claim " + r.claimedEpsilon() + ", lower bound " + r.epsilonLowerBound());
      if (claim == 8) {
        // Power, not validity: the auditor is not blind. Measured ≈ 2.1 at this claim (docs/privacy.md);
        // below 1 would mean the scores lost the canaries' signal.
        assertTrue(r.epsilonLowerBound() > 1, "lower bound " + r.epsilonLowerBound());
      }
    }
  }

  @Test
  void run_noNoise_recordsNoiseMultiplierAndInsecureFlag() {
    DpConfig c = silo(2);
    int d = 100;
    CanaryAudit.Result r = CanaryAudit.run(c, 2, randomCustomers(5, d, 1), new float[d], 50, 0.95, true,
        new Random(5), new Random(6), (x, sd) -> x.clone(), s -> {});
    assertTrue(r.insecureNoNoise());
    assertEquals(10, r.steps());
    assertEquals(5, r.realCustomers());
    assertEquals(accountant(c, 10), r.claimedEpsilon());
    assertEquals(c, r.config());
  }

  @Test
  void run_realModelGradients_catchesTheMissingNoise() {
    ModelSpec spec = ModelSpec.preferenceMlp(FeatureExtractor.SCHEMA, FeatureExtractor.FEATURES);
    int customers = 6;
    int rowsEach = 10;
    int n = customers * rowsEach;
    int w = FeatureExtractor.FEATURES;
    Random rnd = new Random(8);
    float[] x = new float[n * w];
    float[] y = new float[n];
    float[] wt = new float[n];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < w; f++) {
        x[i * w + f] = rnd.nextFloat();
      }
      y[i] = i % 2;
      wt[i] = 1;
    }
    int[] offsets = new int[customers + 1];
    for (int k = 0; k <= customers; k++) {
      offsets[k] = k * rowsEach;
    }
    PreferenceModel model = new PreferenceModel(spec, 1);
    GradientSource real = new ModelGradients(model, new TrainingSet(x, y, wt, n, customers, offsets));
    DpConfig c = silo(1);
    CanaryAudit.Result r = CanaryAudit.run(c, 2, real, model.parameters(), 100, 0.95, true, new Random(9),
        new Random(10), (a, sd) -> a.clone(), s -> {});
    // 10 steps: an included canary is sampled at least once with probability 1 − 2^-10 each.
    assertTrue(r.epsilonLowerBound() > r.claimedEpsilon(), r.epsilonLowerBound() + " vs " + r.claimedEpsilon());
  }

  @Test
  void run_badParameters_rejectedWithMessageNamingThem() {
    DpConfig c = silo(1);
    GradientSource g = randomCustomers(3, 10, 1);
    assertMessage("canaries", () -> CanaryAudit.run(c, 1, g, new float[10], 11, 0.95, true, s -> {}));
    assertMessage("canaries", () -> CanaryAudit.run(c, 1, g, new float[10], 1, 0.95, true, s -> {}));
    DpConfig bigDelta = DpConfig.calibrated(1.0, 0.5, 5, 0.003, 1, 0.1, 10, 0, 0);
    assertMessage("canaries", () -> CanaryAudit.run(bigDelta, 1, g, new float[10], 10, 0.95, true, s -> {}));
    assertMessage("rounds", () -> CanaryAudit.run(c, 0, g, new float[10], 10, 0.95, true, s -> {}));
    assertMessage("confidence", () -> CanaryAudit.run(c, 1, g, new float[10], 10, 1.0, true, s -> {}));
  }

  private static void assertMessage(String name, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    assertTrue(ex.getMessage().startsWith(name) && ex.getMessage().contains("Provided value"), ex.getMessage());
  }
}
