package org.hedgerow.edge.dp;

import java.security.SecureRandom;
import java.util.Random;
import org.hedgerow.privacy.clipping.L2Clipping;
import org.hedgerow.privacy.noise.GaussianNoise;

/**
 * User-level DP-SGD inside one silo: the unit of privacy is a customer, with all of their records.
 *
 * <p>Each step (Abadi et al. 2016, with McMahan et al. 2018's per-user clipping):
 * <ol>
 *   <li>Poisson-sample customers: each of the N customers is in the sample independently with
 *       probability q;
 *   <li>for each sampled customer, take the gradient of their own examples' loss
 *       ({@link GradientSource}) and clip its L2 norm to C ({@link L2Clipping});
 *   <li>sum the clipped gradients and add Gaussian noise of standard deviation σ·C to every
 *       coordinate ({@link GaussianNoise}: exact discrete Gaussian on a 2^-40·σC grid, from a
 *       {@link SecureRandom});
 *   <li>divide by the <em>expected</em> sample size q·N̂ — a fixed denominator, not the realised
 *       sample size, which would itself depend on who was sampled; N̂ is the silo's DP-released
 *       customer count ({@link SiloRelease}), never the exact one;
 *   <li>apply an Adam step to the result.
 * </ol>
 *
 * <p><b>Guarantee.</b> Adding or removing one customer changes the sum in (2) by at most C in L2
 * norm, so each step is the Poisson-subsampled Gaussian mechanism with noise multiplier σ and
 * sampling rate q (Mironov, Talwar, Zhang 2019); the Adam step and everything after it only
 * post-process the noisy sums. T steps are accounted as {@code DpEvent.sampledGaussian(σ, q, T)}.
 * This holds with the following taken as given (public): the model architecture and starting
 * parameters, and the features each customer's examples are computed with (from public inputs and
 * the silo's DP release) — see docs/privacy.md.
 *
 * <p>Randomness: sampling and noise both come from {@link SecureRandom} by default. Amplification
 * by sampling assumes the adversary does not know who was sampled, so a seeded sampler would void
 * the accounted guarantee; the package-private constructor takes seeded sources for tests only.
 */
public final class UserLevelDpTrainer {
  static final double ADAM_BETA1 = 0.9;
  static final double ADAM_BETA2 = 0.999;
  static final double ADAM_EPSILON = 1e-8;

  /** Adds noise of the given standard deviation to every coordinate; a new array. */
  @FunctionalInterface
  public interface Noise {
    double[] addNoise(double[] x, double standardDeviation);
  }

  /**
   * What a call to {@link #train} did.
   *
   * @param parameters the parameters after the last step
   * @param steps noisy steps taken
   * @param sampled customer gradients computed, over all steps
   * @param clipped of those, how many had a norm above C
   * @param seconds wall time
   */
  public record Result(float[] parameters, int steps, long sampled, long clipped, double seconds) {
    /** Customer gradients per second. */
    public double customersPerSecond() {
      return seconds > 0 ? sampled / seconds : Double.NaN;
    }
  }

  private final DpConfig config;
  private final GradientSource gradients;
  private final Random sampler;
  private final Noise noise;
  private final double customerCount;

  /**
   * Sampling and noise from {@link SecureRandom}.
   *
   * @param customerCount N̂, the silo's DP-released customer count: the denominator is q·N̂
   */
  public UserLevelDpTrainer(DpConfig config, GradientSource gradients, double customerCount) {
    this(config, gradients, customerCount, org.hedgerow.privacy.noise.NoiseSource.random("dp-sgd-sampling"),
        new GaussianNoise()::addNoise);
  }

  /** Seam for tests: the exact customer count as N̂, a seeded sampler and a recording or fake noise source. */
  UserLevelDpTrainer(DpConfig config, GradientSource gradients, Random sampler, Noise noise) {
    this(config, gradients, gradients.customers(), sampler, noise);
  }

  UserLevelDpTrainer(DpConfig config, GradientSource gradients, double customerCount, Random sampler, Noise noise) {
    if (gradients.customers() < 1) {
      throw new IllegalArgumentException("user-level DP training needs at least one customer with examples");
    }
    if (!(customerCount >= 1 && Double.isFinite(customerCount))) {
      throw new IllegalArgumentException("customer count must be >= 1 and finite. Provided value: " + customerCount);
    }
    this.config = config;
    this.gradients = gradients;
    this.customerCount = customerCount;
    this.sampler = sampler;
    this.noise = noise;
  }

  public DpConfig config() {
    return config;
  }

  /** The fixed denominator q·N̂ of every step. */
  public double expectedSampleSize() {
    return config.sampleRate() * customerCount;
  }

  /**
   * Runs {@link DpConfig#stepsPerRound()} steps from {@code start}, with a fresh Adam state (each
   * round starts from the global model alone, as non-private local training does).
   */
  public Result train(float[] start) {
    if (start.length != gradients.dimension()) {
      throw new IllegalArgumentException("expected " + gradients.dimension() + " parameters, got " + start.length);
    }
    long t0 = System.nanoTime();
    int d = start.length;
    double[] theta = new double[d];
    for (int i = 0; i < d; i++) {
      theta[i] = start[i];
    }
    double[] m = new double[d];
    double[] v = new double[d];
    float[] current = start.clone();
    long[] counts = new long[2];
    for (int t = 1; t <= config.stepsPerRound(); t++) {
      double[] noisyMean = noisyMeanGradient(current, counts);
      // Adam on the privatised gradient: post-processing, no further privacy cost.
      double lr = config.learningRate() * Math.sqrt(1 - Math.pow(ADAM_BETA2, t)) / (1 - Math.pow(ADAM_BETA1, t));
      for (int i = 0; i < d; i++) {
        double gi = noisyMean[i];
        m[i] = ADAM_BETA1 * m[i] + (1 - ADAM_BETA1) * gi;
        v[i] = ADAM_BETA2 * v[i] + (1 - ADAM_BETA2) * gi * gi;
        theta[i] -= lr * m[i] / (Math.sqrt(v[i]) + ADAM_EPSILON);
        current[i] = (float) theta[i];
      }
    }
    return new Result(current, config.stepsPerRound(), counts[0], counts[1], (System.nanoTime() - t0) / 1e9);
  }

  /**
   * One step's privatised gradient at {@code at}: the sum of the sampled customers' clipped
   * gradients plus noise of standard deviation σ·C per coordinate, divided by q·N.
   *
   * @param counts incremented: [0] customers sampled, [1] of those clipped
   */
  double[] noisyMeanGradient(float[] at, long[] counts) {
    gradients.setParameters(at);
    int d = gradients.dimension();
    double c = config.clipNorm();
    double[] sum = new double[d];
    for (int k = 0; k < gradients.customers(); k++) {
      if (sampler.nextDouble() >= config.sampleRate()) {
        continue;
      }
      double[] g = gradients.gradient(k);
      if (g.length != d) {
        throw new IllegalStateException("gradient of customer " + k + " has " + g.length + " entries, expected " + d);
      }
      counts[0]++;
      if (!L2Clipping.isWithin(g, c)) {
        counts[1]++;
        g = L2Clipping.clip(g, c);
      }
      for (int i = 0; i < d; i++) {
        sum[i] += g[i];
      }
    }
    double[] noisy = noise.addNoise(sum, config.noiseMultiplier() * c);
    double denominator = expectedSampleSize();
    for (int i = 0; i < d; i++) {
      noisy[i] /= denominator;
    }
    return noisy;
  }
}
