package org.hedgerow.aggregation.strategy;

/**
 * The adaptive server optimisers of Reddi et al. 2021, "Adaptive Federated Optimization",
 * Algorithm 2. With Δₜ the example-weighted mean delta:
 * <pre>
 *   mₜ = β₁·mₜ₋₁ + (1 − β₁)·Δₜ
 *   vₜ = (rule of the subclass, elementwise)
 *   xₜ₊₁ = xₜ + η·mₜ / (√vₜ + τ)
 * </pre>
 * starting from {@code m₋₁ = 0} and {@code v₋₁ = τ²} (the algorithm asks for {@code v₋₁ ≥ τ²}).
 * As in the paper there is no bias correction: τ bounds the first steps instead.
 */
public abstract class AdaptiveServerOptimizer extends ServerOptimizer {
  /** β₁ of the paper's experiments. */
  public static final double DEFAULT_BETA1 = 0.9;
  /** β₂ of the paper's experiments. */
  public static final double DEFAULT_BETA2 = 0.99;
  /** τ: the paper tunes it over powers of ten; 10⁻³ is a point of its grid, our choice. */
  public static final double DEFAULT_TAU = 1e-3;
  /** η: the paper tunes it over powers of ten; 10⁻² is a point of its grid, our choice. */
  public static final double DEFAULT_SERVER_LEARNING_RATE = 1e-2;

  private final double serverLearningRate;
  private final double beta1;
  protected final double beta2;
  private final double tau;

  /**
   * @param serverLearningRate η, > 0
   * @param beta1 β₁, in [0, 1)
   * @param beta2 β₂, in [0, 1)
   * @param tau τ, > 0: the adaptivity (a larger τ makes the step less adaptive)
   */
  protected AdaptiveServerOptimizer(FitConfig fitConfig, double serverLearningRate, double beta1, double beta2,
      double tau) {
    super(fitConfig);
    this.serverLearningRate = Checks.positive("server_learning_rate", serverLearningRate);
    this.beta1 = Checks.decay("beta1", beta1);
    this.beta2 = Checks.decay("beta2", beta2);
    this.tau = Checks.positive("tau", tau);
  }

  /** vₜ from vₜ₋₁ and Δₜ² for one coordinate. */
  protected abstract double secondMoment(double previous, double gSquared);

  @Override
  protected final double[] hyperparameters() {
    return new double[] {serverLearningRate, beta1, beta2, tau};
  }

  @Override
  protected final String hyperparameterNames() {
    return "server_learning_rate, beta1, beta2, tau";
  }

  @Override
  protected final double[][] initialMoments(int dimension) {
    double[][] m = new double[2][dimension];
    java.util.Arrays.fill(m[1], tau * tau);
    return m;
  }

  @Override
  protected final double step(double[][] moments, int i, double g) {
    double m = beta1 * moments[0][i] + (1 - beta1) * g;
    double v = secondMoment(moments[1][i], g * g);
    moments[0][i] = m;
    moments[1][i] = v;
    return serverLearningRate * m / (Math.sqrt(v) + tau);
  }
}
