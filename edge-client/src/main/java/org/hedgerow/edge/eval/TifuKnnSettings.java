package org.hedgerow.edge.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Hyper-parameters of TIFU-KNN (Hu et al., SIGIR 2020, "Modeling Personalized Item Frequency
 * Information for Next-basket Recommendation").
 *
 * @param groupSize m: baskets per group, counted back from the latest (the oldest group may be short)
 * @param withinDecay r_b: weight of a basket one place earlier within its group
 * @param groupDecay r_g: weight of a group one place earlier
 * @param neighbours k: nearest customers (Euclidean distance between user vectors) mixed in
 * @param alpha weight of the customer's own vector; 1 − alpha goes to the neighbours' mean
 */
public record TifuKnnSettings(int groupSize, double withinDecay, double groupDecay, int neighbours, double alpha) {
  public TifuKnnSettings {
    if (groupSize < 1) {
      throw new IllegalArgumentException("TIFU-KNN group size m must be >= 1. Provided value: " + groupSize);
    }
    if (!(withinDecay > 0 && withinDecay <= 1) || !(groupDecay > 0 && groupDecay <= 1)) {
      throw new IllegalArgumentException("TIFU-KNN decay rates r_b and r_g must be in (0, 1]. Provided values: "
          + withinDecay + ", " + groupDecay);
    }
    if (neighbours < 0) {
      throw new IllegalArgumentException("TIFU-KNN neighbours k must be >= 0. Provided value: " + neighbours);
    }
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("TIFU-KNN alpha must be in [0, 1]. Provided value: " + alpha);
    }
  }

  /**
   * The grid searched on the validation baskets: 3 × 3 × 4 user-vector settings (m, r_b, r_g),
   * each with 5 neighbourhood sizes and 5 mixes: 900 settings.
   */
  public static List<TifuKnnSettings> defaultGrid() {
    List<TifuKnnSettings> grid = new ArrayList<>();
    for (int m : new int[] {2, 4, 8}) {
      for (double rb : new double[] {0.6, 0.9, 1.0}) {
        for (double rg : new double[] {0.4, 0.6, 0.8, 1.0}) {
          for (int k : new int[] {10, 25, 50, 100, 300}) {
            for (double a : new double[] {0.2, 0.35, 0.5, 0.7, 0.9}) {
              grid.add(new TifuKnnSettings(m, rb, rg, k, a));
            }
          }
        }
      }
    }
    return grid;
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "m=%d r_b=%.2f r_g=%.2f k=%d alpha=%.2f", groupSize, withinDecay,
        groupDecay, neighbours, alpha);
  }
}
