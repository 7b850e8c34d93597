package org.hedgerow.aggregation.strategy;

import java.util.ArrayList;
import java.util.Comparator;
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
    if (updates.isEmpty()) {
      throw new IllegalArgumentException("cannot aggregate a round without updates");
    }
    double[] mean = weightedMean(updates, current.length);
    float[] next = new float[current.length];
    for (int i = 0; i < next.length; i++) {
      next[i] = (float) (current[i] + mean[i]);
    }
    return next;
  }

  /** Σ n_k Δ_k / Σ n_k, in double, clients taken in id order. */
  public static double[] weightedMean(List<ClientUpdate> updates, int dimension) {
    List<ClientUpdate> sorted = new ArrayList<>(updates);
    sorted.sort(Comparator.comparing(ClientUpdate::clientId));
    double[] sum = new double[dimension];
    double total = 0;
    for (ClientUpdate u : sorted) {
      if (u.delta().length != dimension) {
        throw new IllegalArgumentException("update of " + u.clientId() + " has " + u.delta().length
            + " entries, the model has " + dimension);
      }
      double w = u.examples();
      total += w;
      float[] d = u.delta();
      for (int i = 0; i < dimension; i++) {
        sum[i] += w * d[i];
      }
    }
    for (int i = 0; i < dimension; i++) {
      sum[i] /= total;
    }
    return sum;
  }
}
