package org.hedgerow.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hedgerow.aggregation.strategy.ClientUpdate;
import org.hedgerow.aggregation.strategy.WeightedSum;

/**
 * A regional sub-coordinator's aggregation: its silos' updates summed as the coordinator sums
 * clients ({@link WeightedSum}: {@code Σ nₖΔₖ} in double, silos in id order, so arrival order never
 * matters), handed up as one update: the weighted mean with weight {@code Σ nₖ}. FedAvg at the
 * coordinator over such regional means is FedAvg over the silos — up to the rounding of each
 * regional mean to float on its way up (docs/cluster.md).
 *
 * @param examples {@code Σ nₖ}, the region's FedAvg weight
 * @param loss the example-weighted mean of the silos' losses (as the coordinator weighs clients')
 * @param seconds training time summed over the region's silos
 * @param silos how many silos contributed
 */
record RegionalSum(long examples, float[] mean, double loss, double seconds, int silos) {

  static RegionalSum of(List<SiloUpdate> updates, int dimension) {
    if (updates.isEmpty()) {
      throw new IllegalArgumentException("a region with no silo updates has nothing to send");
    }
    List<SiloUpdate> ordered = new ArrayList<>(updates);
    ordered.sort(Comparator.comparing(SiloUpdate::silo));
    WeightedSum sum = new WeightedSum(dimension);
    double lossSum = 0;
    long lossExamples = 0;
    double seconds = 0;
    for (SiloUpdate u : ordered) {
      sum.addWeighted(new ClientUpdate(u.silo(), u.examples(), u.delta()));
      if (Double.isFinite(u.loss())) {
        lossSum += u.loss() * u.examples();
        lossExamples += u.examples();
      }
      seconds += u.seconds();
    }
    long total = ordered.stream().mapToLong(SiloUpdate::examples).sum();
    double[] mean = sum.mean();
    float[] out = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      out[i] = (float) mean[i];
    }
    return new RegionalSum(total, out, lossExamples == 0 ? Double.NaN : lossSum / lossExamples, seconds,
        ordered.size());
  }
}
