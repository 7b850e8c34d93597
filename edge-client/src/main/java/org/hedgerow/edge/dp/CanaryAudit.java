package org.hedgerow.edge.dp;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import org.hedgerow.edge.client.EdgeClient;
import org.hedgerow.privacy.audit.OneRunAudit;
import org.hedgerow.privacy.audit.TopKGuesses;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.clipping.L2Clipping;
import org.hedgerow.privacy.noise.GaussianNoise;

/**
 * An empirical privacy audit of a silo's user-level DP training in one run: Steinke, Nasr and
 * Jagielski (2023), <i>Privacy Auditing with One (1) Training Run</i> (NeurIPS 2023), white-box
 * gradient canaries. The bound itself is {@link OneRunAudit}; the guesses {@link TopKGuesses}.
 *
 * <p><b>The run.</b> M canary customers are added to a silo's real customers; each is
 * <em>included</em> independently with probability 1/2 ({@link SecureRandom}). Then the silo's
 * training runs exactly as {@link EdgeClient} runs it — the real {@link UserLevelDpTrainer}
 * (Poisson sampling at q, per-customer clipping to C, Gaussian noise σ·C from {@link GaussianNoise},
 * fixed denominator, Adam), {@code rounds} rounds of {@link DpConfig#stepsPerRound()} steps, each
 * round charged to a {@link PrivacyBudget} first — and the claimed ε is that budget's ε, i.e. the
 * RDP accountant on the σ, q and step count actually used.
 *
 * <p><b>Canaries</b> ("Dirac" gradient canaries): canary j owns one parameter coordinate c_j
 * (M distinct coordinates drawn at random; M ≤ number of parameters) and, when included and
 * sampled, contributes the gradient 2C·e_{c_j}, which the trainer clips to exactly C. An excluded
 * canary is still a customer slot of the {@link GradientSource} but its gradient is zero, which
 * leaves the step's sum exactly as if it were absent, while the trainer's customer count N — public
 * by assumption, the fixed denominator q·N — does not depend on who was included. Canaries take no
 * part in the item-statistics release, so what is audited is the training steps alone.
 *
 * <p><b>Observation and score.</b> The auditor sees each step's released noisy sum (through the
 * trainer's {@code Noise} seam: the output of the noise, nothing before it) and also the realised
 * clipped contribution of the <em>real</em> customers in that step, which it subtracts. That side
 * information is independent of which canaries were included (it is a function of the public model
 * and of the real customers' own sampling coins), and the training is (ε, δ)-DP with respect to each
 * canary conditionally on it, so the theorem still applies; it removes the real customers as a
 * source of noise in the scores and makes this the strongest auditor of the setting. Canary j's
 * score is Σ_t (y_t − real_t)[c_j]: C per step in which it was sampled if included, 0 otherwise,
 * plus N(0, (σC)²) per step. "In" is guessed for the top k scores, "out" for the bottom k, for the
 * k of {@link TopKGuesses#defaultPerSide} with a union bound over them.
 *
 * <p><b>What it shows.</b> A <em>lower</em> bound on the ε of the training as implemented, valid
 * with the stated confidence: a bound above the claimed ε means the implementation does not give
 * the claimed guarantee (the insecure no-noise mode exists to show that this is caught). A bound
 * well below the claim is expected and proves nothing about the upper bound; one run with M
 * canaries cannot certify more than about log(M) (see docs/privacy.md).
 */
public final class CanaryAudit {
  /** A canary's gradient norm over C: above 1, so every canary is clipped to exactly C. */
  static final double CANARY_NORM_OVER_CLIP = 2.0;

  /**
   * What the audit found.
   *
   * @param claimedEpsilon the accountant's ε for the run (the budget after the last round)
   * @param outcome the guesses and the lower bound
   * @param config σ, C, q, steps per round, δ of the run
   * @param rounds training rounds run
   * @param steps noisy steps in all (rounds × steps per round)
   * @param realCustomers the silo's customers (gradient slots before the canaries)
   * @param included canaries that were included
   * @param insecureNoNoise whether the noise was switched off (the broken configuration)
   * @param gradients customer gradients computed by the trainer (real and canary slots)
   * @param seconds wall time of the training
   */
  public record Result(double claimedEpsilon, TopKGuesses.Outcome outcome, DpConfig config, int rounds, long steps,
      int realCustomers, int included, boolean insecureNoNoise, long gradients, double seconds) {
    public int canaries() {
      return outcome.canaries();
    }

    public double epsilonLowerBound() {
      return outcome.epsilonLowerBound();
    }
  }

  private CanaryAudit() {}

  /**
   * Runs the audit with {@link SecureRandom} for membership and sampling, and {@link GaussianNoise}
   * — or no noise at all when {@code insecureNoNoise} (for demonstrating that the audit catches it;
   * never a training configuration).
   *
   * @param config the silo's DP settings (σ calibrated to the claim; its δ is the audit's δ)
   * @param rounds rounds of {@code config.stepsPerRound()} steps
   * @param customers the silo's real per-customer gradients
   * @param start the starting parameters (the initial global model)
   * @param canaries M ≥ 2, at most the number of parameters, and 2Mδ ≤ 1
   * @param confidence of the lower bound, in (0, 1)
   * @param progress one line per round (for stderr)
   * @throws IllegalArgumentException on a bad M, rounds or confidence (message names it)
   */
  public static Result run(DpConfig config, int rounds, GradientSource customers, float[] start, int canaries,
      double confidence, boolean insecureNoNoise, Consumer<String> progress) {
    GaussianNoise gaussian = new GaussianNoise();
    UserLevelDpTrainer.Noise noise = insecureNoNoise ? (x, sd) -> x.clone() : gaussian::addNoise;
    return run(config, rounds, customers, start, canaries, confidence, insecureNoNoise, new SecureRandom(),
        new SecureRandom(), noise, progress);
  }

  /** Checks M, rounds and confidence before any training (messages name the value). */
  public static void check(int canaries, int dimension, double delta, int rounds, double confidence) {
    if (canaries < 2) {
      throw new IllegalArgumentException("canaries must be >= 2. Provided value: " + canaries);
    }
    if (canaries > dimension) {
      throw new IllegalArgumentException("canaries must be at most the model's " + dimension
          + " parameters (one coordinate each). Provided value: " + canaries);
    }
    if (2.0 * canaries * delta > 1) {
      throw new IllegalArgumentException("canaries must satisfy 2 * canaries * delta <= 1 (delta " + delta
          + "). Provided value: " + canaries);
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be >= 1. Provided value: " + rounds);
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1). Provided value: " + confidence);
    }
  }

  /** Seam for tests: given membership and sampling randomness and noise. */
  static Result run(DpConfig config, int rounds, GradientSource customers, float[] start, int canaries,
      double confidence, boolean insecureNoNoise, Random membership, Random sampler, UserLevelDpTrainer.Noise noise,
      Consumer<String> progress) {
    int d = customers.dimension();
    check(canaries, d, config.delta(), rounds, confidence);
    boolean[] included = new boolean[canaries];
    int[] coordinate = distinctCoordinates(canaries, d, membership);
    int in = 0;
    for (int j = 0; j < canaries; j++) {
      included[j] = membership.nextBoolean();
      in += included[j] ? 1 : 0;
    }
    Observer observer = new Observer(customers, config.clipNorm(), included, coordinate);
    UserLevelDpTrainer trainer = new UserLevelDpTrainer(config, observer, sampler, (x, sd) -> {
      double[] y = noise.addNoise(x, sd);
      observer.observe(y);
      return y;
    });
    PrivacyBudget budget = config.budget("audit");
    long t0 = System.nanoTime();
    float[] params = start.clone();
    long gradients = 0;
    for (int r = 1; r <= rounds; r++) {
      budget.spend(r, EdgeClient.MECHANISM, config.noiseMultiplier(), config.sampleRate(), config.stepsPerRound(),
          config.clipNorm());
      UserLevelDpTrainer.Result res = trainer.train(params);
      params = res.parameters();
      gradients += res.sampled();
      progress.accept(String.format(Locale.ROOT,
          "audit: round %d/%d done (%d steps, %d customer gradients of which %d real, %.1f s; epsilon so far %.4f)",
          r, rounds, res.steps(), res.sampled(), observer.realGradients, (System.nanoTime() - t0) / 1e9,
          budget.epsilon()));
      observer.realGradients = 0;
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (observer.steps != (long) rounds * config.stepsPerRound()) {
      throw new IllegalStateException("observed " + observer.steps + " noisy sums, expected "
          + (long) rounds * config.stepsPerRound());
    }
    TopKGuesses.Outcome outcome = TopKGuesses.evaluate(observer.scores, included, config.delta(), confidence,
        TopKGuesses.defaultPerSide(canaries));
    return new Result(budget.epsilon(), outcome, config, rounds, observer.steps, customers.customers(), in,
        insecureNoNoise, gradients, seconds);
  }

  /** M distinct coordinates of [0, d), uniformly (partial Fisher–Yates). */
  private static int[] distinctCoordinates(int m, int d, Random rnd) {
    int[] all = new int[d];
    for (int i = 0; i < d; i++) {
      all[i] = i;
    }
    for (int i = 0; i < m; i++) {
      int j = i + rnd.nextInt(d - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return java.util.Arrays.copyOf(all, m);
  }

  /**
   * The gradient source the trainer sees (real customers first, then one slot per canary) and the
   * auditor's view: the real customers' clipped contributions since the last noisy sum, and the
   * canary scores.
   */
  private static final class Observer implements GradientSource {
    private final GradientSource real;
    private final double clip;
    private final boolean[] included;
    private final int[] coordinate;
    private final int n;
    private final int d;
    private final double[] realSum;
    final double[] scores;
    long steps;
    long realGradients;

    Observer(GradientSource real, double clip, boolean[] included, int[] coordinate) {
      this.real = real;
      this.clip = clip;
      this.included = included;
      this.coordinate = coordinate;
      this.n = real.customers();
      this.d = real.dimension();
      this.realSum = new double[d];
      this.scores = new double[included.length];
    }

    @Override
    public int dimension() {
      return d;
    }

    @Override
    public int customers() {
      return n + included.length;
    }

    @Override
    public void setParameters(float[] parameters) {
      real.setParameters(parameters);
    }

    @Override
    public double[] gradient(int k) {
      if (k < n) {
        double[] g = real.gradient(k);
        // The auditor's side information: this customer's contribution exactly as the trainer
        // clips it (same function, same input).
        double[] clipped = L2Clipping.isWithin(g, clip) ? g : L2Clipping.clip(g, clip);
        for (int i = 0; i < d; i++) {
          realSum[i] += clipped[i];
        }
        realGradients++;
        return g;
      }
      double[] g = new double[d];
      int j = k - n;
      if (included[j]) {
        g[coordinate[j]] = CANARY_NORM_OVER_CLIP * clip;
      }
      return g;
    }

    /** One released noisy sum (arrays of another length, if any, are not training sums). */
    void observe(double[] y) {
      if (y.length != d) {
        return;
      }
      for (int j = 0; j < scores.length; j++) {
        int c = coordinate[j];
        scores[j] += y[c] - realSum[c];
      }
      java.util.Arrays.fill(realSum, 0);
      steps++;
    }
  }
}
