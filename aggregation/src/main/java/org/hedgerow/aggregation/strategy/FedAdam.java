package org.hedgerow.aggregation.strategy;

/**
 * FedAdam (Reddi et al. 2021, Algorithm 2): {@code vₜ = β₂·vₜ₋₁ + (1 − β₂)·Δₜ²}, an exponential
 * moving average, so vₜ moves towards Δₜ² by a fraction (1 − β₂) of the gap whatever its size.
 */
public final class FedAdam extends AdaptiveServerOptimizer {
  public FedAdam(FitConfig fitConfig, double serverLearningRate, double beta1, double beta2, double tau) {
    super(fitConfig, serverLearningRate, beta1, beta2, tau);
  }

  @Override
  public String kind() {
    return "fedadam";
  }

  @Override
  protected double secondMoment(double previous, double gSquared) {
    return beta2 * previous + (1 - beta2) * gSquared;
  }
}
