package org.hedgerow.edge.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hedgerow.privacy.accounting.DpEvent;
import org.hedgerow.privacy.accounting.RdpAccountant;
import org.junit.jupiter.api.Test;

class UserLevelDpTrainerTest {
  private static final double DELTA = 1e-5;

  /** A fake gradient source: customer k's gradient is a fixed vector, whatever the parameters. */
  static class FakeGradients implements GradientSource {
    final double[][] perCustomer;
    int calls;

    FakeGradients(double[][] perCustomer) {
      this.perCustomer = perCustomer;
    }

    @Override
    public int dimension() {
      return perCustomer[0].length;
    }

    @Override
    public int customers() {
      return perCustomer.length;
    }

    @Override
    public void setParameters(float[] parameters) {}

    @Override
    public double[] gradient(int customer) {
      calls++;
      return perCustomer[customer].clone();
    }
  }

  /** A fake noise source that adds nothing and records the standard deviation it was asked for. */
  static final class RecordingNoNoise implements UserLevelDpTrainer.Noise {
    final List<Double> stds = new ArrayList<>();

    @Override
    public double[] addNoise(double[] x, double standardDeviation) {
      stds.add(standardDeviation);
      return x.clone();
    }
  }

  private static DpConfig config(double sigma, double clip, double q, int steps) {
    return new DpConfig(sigma, clip, q, steps, 0.01, 8, DELTA);
  }

  @Test
  void noisyMeanGradient_largeGradients_eachCustomerContributesAtMostClipNorm() {
    // Customer k pushes only coordinate k, far beyond the clip norm: the sum then shows each
    // customer's clipped contribution on its own coordinate.
    int n = 5;
    double[][] g = new double[n][n];
    for (int k = 0; k < n; k++) {
      g[k][k] = 1e3 * (k + 1);
    }
    double clip = 0.7;
    UserLevelDpTrainer t = new UserLevelDpTrainer(config(1.0, clip, 1.0, 1), new FakeGradients(g), new Random(1),
        new RecordingNoNoise());
    double[] mean = t.noisyMeanGradient(new float[n], new long[2]);
    for (int k = 0; k < n; k++) {
      double contribution = mean[k] * t.expectedSampleSize();
      assertTrue(contribution <= clip, "customer " + k + " contributed " + contribution);
      assertEquals(clip, contribution, 1e-12);
    }
  }

  @Test
  void noisyMeanGradient_smallGradients_leftUnclipped() {
    double[][] g = {{0.3, 0.4}, {0.0, 0.1}};
    UserLevelDpTrainer t = new UserLevelDpTrainer(config(1.0, 1.0, 1.0, 1), new FakeGradients(g), new Random(1),
        new RecordingNoNoise());
    long[] counts = new long[2];
    double[] mean = t.noisyMeanGradient(new float[2], counts);
    assertEquals(0.15, mean[0], 1e-15);
    assertEquals(0.25, mean[1], 1e-15);
    assertEquals(2, counts[0]);
    assertEquals(0, counts[1]);
  }

  @Test
  void train_everyStep_noiseStandardDeviationIsSigmaTimesClip() {
    double[][] g = {{1, 2}, {3, 4}, {5, 6}};
    RecordingNoNoise noise = new RecordingNoNoise();
    UserLevelDpTrainer t = new UserLevelDpTrainer(config(1.3, 0.25, 0.5, 4), new FakeGradients(g), new Random(3), noise);
    t.train(new float[2]);
    assertEquals(List.of(1.3 * 0.25, 1.3 * 0.25, 1.3 * 0.25, 1.3 * 0.25), noise.stds);
  }

  @Test
  void noisyMeanGradient_poissonSample_dividesByExpectedNotRealisedSampleSize() {
    int n = 1000;
    double[][] g = new double[n][1];
    for (double[] row : g) {
      row[0] = 0.5; // within the clip norm: every sampled customer adds exactly 0.5
    }
    double q = 0.1;
    FakeGradients source = new FakeGradients(g);
    UserLevelDpTrainer t = new UserLevelDpTrainer(config(1.0, 1.0, q, 1), source, new Random(11), new RecordingNoNoise());
    long[] counts = new long[2];
    double[] mean = t.noisyMeanGradient(new float[1], counts);
    assertEquals(q * n, t.expectedSampleSize(), 1e-12);
    assertEquals(counts[0], source.calls);
    assertTrue(counts[0] != 100, "the realised sample size should differ from q·N for this seed: " + counts[0]);
    assertEquals(0.5 * counts[0] / (q * n), mean[0], 1e-12);
  }

  @Test
  void train_realNoise_outputDiffersAndHasExpectedSpread() {
    // With every gradient zero the step is pure noise: Adam's first step moves each coordinate by
    // about lr, in a random direction; the default constructor uses GaussianNoise from SecureRandom.
    int d = 2000;
    double[][] g = new double[3][d];
    UserLevelDpTrainer t = new UserLevelDpTrainer(new DpConfig(2.0, 1.0, 1.0, 1, 0.01, 8, DELTA), new FakeGradients(g), 3);
    float[] out = t.train(new float[d]).parameters();
    // The noisy mean gradient per coordinate is N(0, (2/3)^2); a coordinate's step falls short of lr
    // by more than 1% only when |g| < 99·ADAM_EPSILON ~ 1e-6, probability ~1.2e-6 each, ~2.4e-3 per
    // run — so a few short steps are allowed. False-rejection rate of this test: P(more than 5 short
    // steps) < 1e-18 plus P(sign count outside 850..1150, 6.7 sd of Bin(2000, 1/2)) < 1e-10.
    int positive = 0;
    int shortSteps = 0;
    for (float v : out) {
      assertTrue(Math.abs(v) <= 0.01 * (1 + 1e-5), "Adam's first step never exceeds lr: " + v);
      shortSteps += Math.abs(v) < 0.0099 ? 1 : 0;
      positive += v > 0 ? 1 : 0;
    }
    assertTrue(shortSteps <= 5, "almost every coordinate should move by lr: " + shortSteps + " did not");
    assertTrue(positive > 850 && positive < 1150, "signs should be balanced: " + positive);
  }

  @Test
  void calibrated_plannedRounds_fitTheCapByTheAccountant() {
    DpConfig c = DpConfig.calibrated(1.0, 0.5, 5, 0.003, 8, DELTA, 10, 0, 0);
    double eps = new RdpAccountant().compose(DpEvent.sampledGaussian(c.noiseMultiplier(), 0.5, 50)).epsilon(DELTA)
        .epsilon();
    assertTrue(eps <= 8 && eps > 7.99, "epsilon " + eps);
  }

  @Test
  void calibrated_withSiloRelease_roundOneEqualsAccountantAndPlannedRunFitsCap() {
    DpConfig c = DpConfig.calibrated(1.0, 0.5, 5, 0.003, 8, DELTA, 10, 4, 10);
    org.hedgerow.privacy.budget.PrivacyBudget b = c.budget("uk-1");
    b.chargeGaussianRelease(SiloRelease.STATS_MECHANISM, 4);
    b.chargeGaussianRelease(SiloRelease.COUNT_MECHANISM, 10);
    assertEquals(2, b.releases().size());
    double afterOne = b.spend(1, "dp-sgd-user", c.noiseMultiplier(), 0.5, 5, 1.0).epsilon();
    double expected = new RdpAccountant().compose(new org.hedgerow.privacy.accounting.GaussianEvent(4))
        .compose(new org.hedgerow.privacy.accounting.GaussianEvent(10))
        .compose(DpEvent.sampledGaussian(c.noiseMultiplier(), 0.5, 5)).epsilon(DELTA).epsilon();
    assertEquals(expected, afterOne, 0.0);
    for (int r = 2; r <= 10; r++) {
      b.spend(r, "dp-sgd-user", c.noiseMultiplier(), 0.5, 5, 1.0);
    }
    assertTrue(b.epsilon() <= 8 && b.epsilon() > 7.99, "epsilon " + b.epsilon());
    assertTrue(b.refusal(11, c.noiseMultiplier(), 0.5, 5).isPresent());
  }

  @Test
  void constructor_badStatsNoiseMultiplier_rejectedWithMessage() {
    assertMessage("stats noise multiplier must be > 0 and finite (0: no release). Provided value: -1.0",
        () -> new DpConfig(1, 1, 0.5, 5, 0.01, 8, DELTA, -1, 10));
    assertMessage("stats noise multiplier must be > 0 and finite (0: no release). Provided value: NaN",
        () -> DpConfig.calibrated(1, 0.5, 5, 0.01, 8, DELTA, 10, Double.NaN, 10));
    assertMessage("stats and count noise multipliers must be both > 0 (a silo release) or both 0 (none). "
        + "Provided value: 4.0, 0.0", () -> new DpConfig(1, 1, 0.5, 5, 0.01, 8, DELTA, 4, 0));
  }

  @Test
  void constructor_badParameters_rejectedWithMessages() {
    assertMessage("noise multiplier must be > 0 and finite. Provided value: 0.0",
        () -> new DpConfig(0, 1, 0.5, 5, 0.01, 8, DELTA));
    assertMessage("noise multiplier must be > 0 and finite. Provided value: -1.0",
        () -> new DpConfig(-1, 1, 0.5, 5, 0.01, 8, DELTA));
    assertMessage("clip norm must be > 0 and finite. Provided value: 0.0",
        () -> new DpConfig(1, 0, 0.5, 5, 0.01, 8, DELTA));
    assertMessage("sample rate must be in (0, 1]. Provided value: 0.0", () -> new DpConfig(1, 1, 0, 5, 0.01, 8, DELTA));
    assertMessage("sample rate must be in (0, 1]. Provided value: 1.5",
        () -> new DpConfig(1, 1, 1.5, 5, 0.01, 8, DELTA));
    assertMessage("DP steps per round must be >= 1. Provided value: 0",
        () -> new DpConfig(1, 1, 0.5, 0, 0.01, 8, DELTA));
    assertMessage("DP learning rate must be > 0 and finite. Provided value: NaN",
        () -> new DpConfig(1, 1, 0.5, 5, Double.NaN, 8, DELTA));
    assertMessage("epsilon cap must be > 0 and finite. Provided value: 0.0",
        () -> new DpConfig(1, 1, 0.5, 5, 0.01, 0, DELTA));
    assertMessage("delta must be in (0, 1). Provided value: 1.0", () -> new DpConfig(1, 1, 0.5, 5, 0.01, 8, 1));
    assertMessage("epsilon cap must be > 0 and finite. Provided value: -2.0",
        () -> DpConfig.calibrated(1, 0.5, 5, 0.01, -2, DELTA, 10, 0, 0));
  }

  @Test
  void constructor_noCustomers_rejected() {
    GradientSource empty = new FakeGradients(new double[0][]) {
      @Override
      public int dimension() {
        return 1;
      }
    };
    assertThrows(IllegalArgumentException.class, () -> new UserLevelDpTrainer(config(1, 1, 1, 1), empty, 1));
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, e).getMessage());
  }
}
