package org.hedgerow.aggregation.strategy;

/**
 * FedAvg with server momentum (Hsu et al. 2019, "Measuring the Effects of Non-Identical Data
 * Distribution for Federated Visual Classification"; the FedAvgM baseline of Reddi et al. 2021):
 * with Δₜ the example-weighted mean delta, {@code vₜ = μ·vₜ₋₁ + Δₜ} and {@code xₜ₊₁ = xₜ + η·vₜ},
 * starting from {@code v = 0}. With μ = 0 and η = 1 this is FedAvg. At a steady Δ the step tends to
 * η/(1 − μ)·Δ, so with μ = 0.9 a smaller η keeps the step near FedAvg's.
 */
public final class FedAvgM extends ServerOptimizer {
  /** Default η: FedAvg's step size. */
  public static final double DEFAULT_SERVER_LEARNING_RATE = 1.0;
  /** Default μ, the momentum Hsu et al. and Reddi et al. use for FedAvgM. */
  public static final double DEFAULT_SERVER_MOMENTUM = 0.9;

  private final double serverLearningRate;
  private final double serverMomentum;

  /**
   * @param serverLearningRate η, > 0
   * @param serverMomentum μ, in [0, 1)
   */
  public FedAvgM(FitConfig fitConfig, double serverLearningRate, double serverMomentum) {
    super(fitConfig);
    this.serverLearningRate = Checks.positive("server_learning_rate", serverLearningRate);
    this.serverMomentum = Checks.decay("server_momentum", serverMomentum);
  }

  @Override
  public String kind() {
    return "fedavgm";
  }

  @Override
  protected double[] hyperparameters() {
    return new double[] {serverLearningRate, serverMomentum};
  }

  @Override
  protected String hyperparameterNames() {
    return "server_learning_rate, server_momentum";
  }

  @Override
  protected double[][] initialMoments(int dimension) {
    return new double[1][dimension];
  }

  @Override
  protected double step(double[][] moments, int i, double g) {
    double v = serverMomentum * moments[0][i] + g;
    moments[0][i] = v;
    return serverLearningRate * v;
  }
}
