package org.hedgerow.aggregation.strategy;

/**
 * FedYogi (Reddi et al. 2021, Algorithm 2, after Zaheer et al. 2018's Yogi):
 * {@code vₜ = vₜ₋₁ − (1 − β₂)·Δₜ²·sign(vₜ₋₁ − Δₜ²)}. vₜ still moves towards Δₜ², but by
 * (1 − β₂)·Δₜ² — a step that does not grow with the gap — so after one large round v decays
 * slowly instead of by a fixed fraction as in {@link FedAdam}, and the effective learning rate
 * rises gently. sign(0) = 0: v is left as is when it equals Δₜ².
 */
public final class FedYogi extends AdaptiveServerOptimizer {
  public FedYogi(FitConfig fitConfig, double serverLearningRate, double beta1, double beta2, double tau) {
    super(fitConfig, serverLearningRate, beta1, beta2, tau);
  }

  @Override
  public String kind() {
    return "fedyogi";
  }

  @Override
  protected double secondMoment(double previous, double gSquared) {
    return previous - (1 - beta2) * gSquared * Math.signum(previous - gSquared);
  }
}
