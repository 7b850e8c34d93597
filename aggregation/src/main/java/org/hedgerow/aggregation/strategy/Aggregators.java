package org.hedgerow.aggregation.strategy;

/**
 * Builds the strategy an {@link AggregatorSpec} names, filling in defaults: for FedAvgM
 * η = {@value FedAvgM#DEFAULT_SERVER_LEARNING_RATE}, μ = {@value FedAvgM#DEFAULT_SERVER_MOMENTUM};
 * for FedAdam and FedYogi β₁ = {@value AdaptiveServerOptimizer#DEFAULT_BETA1},
 * β₂ = {@value AdaptiveServerOptimizer#DEFAULT_BETA2} (Reddi et al. 2021's values),
 * τ = {@value AdaptiveServerOptimizer#DEFAULT_TAU} and η = {@value AdaptiveServerOptimizer#DEFAULT_SERVER_LEARNING_RATE}
 * (points of the paper's tuning grids, chosen here); for the trimmed mean
 * β = {@value TrimmedMean#DEFAULT_TRIM_FRACTION}. {@code fedavg} builds exactly {@link FedAvg}.
 */
public final class Aggregators {
  private Aggregators() {}

  public static Strategy create(AggregatorSpec spec, FitConfig fit) {
    Strategy rule = switch (spec.name()) {
      case "fedavg" -> new FedAvg(fit);
      case "fedavgm" -> new FedAvgM(fit, or(spec.serverLearningRate(), FedAvgM.DEFAULT_SERVER_LEARNING_RATE),
          or(spec.serverMomentum(), FedAvgM.DEFAULT_SERVER_MOMENTUM));
      case "fedadam" -> new FedAdam(fit, or(spec.serverLearningRate(), AdaptiveServerOptimizer.DEFAULT_SERVER_LEARNING_RATE),
          or(spec.beta1(), AdaptiveServerOptimizer.DEFAULT_BETA1), or(spec.beta2(), AdaptiveServerOptimizer.DEFAULT_BETA2),
          or(spec.tau(), AdaptiveServerOptimizer.DEFAULT_TAU));
      case "fedyogi" -> new FedYogi(fit, or(spec.serverLearningRate(), AdaptiveServerOptimizer.DEFAULT_SERVER_LEARNING_RATE),
          or(spec.beta1(), AdaptiveServerOptimizer.DEFAULT_BETA1), or(spec.beta2(), AdaptiveServerOptimizer.DEFAULT_BETA2),
          or(spec.tau(), AdaptiveServerOptimizer.DEFAULT_TAU));
      case "median" -> new CoordinateMedian(fit);
      case "trimmed-mean" -> new TrimmedMean(fit, or(spec.trimFraction(), TrimmedMean.DEFAULT_TRIM_FRACTION));
      default -> throw new IllegalArgumentException("aggregator must be one of " + AggregatorSpec.NAMES
          + ". Provided value: " + spec.name()); // unreachable: the spec checked its name
    };
    return spec.maxUpdateNorm() == null ? rule : new UpdateNormBound(rule, spec.maxUpdateNorm());
  }

  private static double or(Double v, double dflt) {
    return v == null ? dflt : v;
  }
}
