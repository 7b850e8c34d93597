package org.hedgerow.aggregation.strategy;

import java.util.List;
import org.hedgerow.aggregation.model.ModelSpec;

/**
 * Federated averaging (McMahan et al. 2017, "Communication-Efficient Learning of Deep Networks from
 * Decentralized Data"): the new model is the current one plus the example-weighted mean of the
 * clients' deltas. Sums run in double and in client-id order, so the result does not depend on
 * which upload arrived first.
 */
public final class FedAvg implements Strategy {
  private final FitConfig fitConfig;

  public FedAvg(FitConfig fitConfig) {
    this.fitConfig = fitConfig;
  }

  @Override
  public float[] initializeParameters(ModelSpec spec, long seed) {
    return spec.initialParameters(seed);
  }

  @Override
  public FitConfig configureFit(int round) {
    return new FitConfig(fitConfig.localEpochs(), fitConfig.batchSize(), fitConfig.seed() * 1_000_003L + round);
  }

  @Override
  public float[] aggregateFit(int round, float[] current, List<ClientUpdate> updates) {
    return Updates.apply(current, Updates.weightedMean(updates, current.length));
  }

  @Override
  public java.util.Optional<RunningAggregate> runningAggregate(int round, float[] current) {
    return java.util.Optional.of(Updates.weightedMeanThen(current.length, mean -> Updates.apply(current, mean)));
  }

  /** Σ n_k Δ_k / Σ n_k, in double, clients taken in id order (see {@link Updates#weightedMean}). */
  public static double[] weightedMean(List<ClientUpdate> updates, int dimension) {
    return Updates.weightedMean(updates, dimension);
  }
}
