package org.hedgerow.simulations.partition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/** Seeded Dirichlet draws and the bookkeeping the skewed partitioners share. */
final class Dirichlet {
  private Dirichlet() {}

  static double checkAlpha(double alpha) {
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("Dirichlet alpha must be a finite number > 0. Provided value: " + alpha);
    }
    return alpha;
  }

  static int checkSilos(int silos) {
    if (silos < 2) {
      throw new IllegalArgumentException("a skewed partition needs at least 2 silos. Provided value: " + silos);
    }
    return silos;
  }

  static RandomGenerator random(long seed) {
    return new Well19937c(seed);
  }

  /** Shares summing to 1: independent Gamma(α, 1) draws, normalised. */
  static double[] sample(double alpha, int k, RandomGenerator random) {
    GammaDistribution gamma = new GammaDistribution(random, alpha, 1.0);
    double[] g = new double[k];
    double sum = 0;
    for (int i = 0; i < k; i++) {
      g[i] = gamma.sample();
      sum += g[i];
    }
    if (!(sum > 0)) { // every draw underflowed (tiny α): put everything in one silo
      g[random.nextInt(k)] = 1;
      sum = 1;
    }
    for (int i = 0; i < k; i++) {
      g[i] /= sum;
    }
    return g;
  }

  /** Splits {@code n} into integer counts proportional to {@code shares} (largest remainders). */
  static int[] apportion(double[] shares, int n) {
    int[] counts = new int[shares.length];
    double[] rest = new double[shares.length];
    int given = 0;
    for (int i = 0; i < shares.length; i++) {
      double exact = shares[i] * n;
      counts[i] = (int) Math.floor(exact);
      rest[i] = exact - counts[i];
      given += counts[i];
    }
    while (given < n) {
      int best = 0;
      for (int i = 1; i < rest.length; i++) {
        if (rest[i] > rest[best]) {
          best = i;
        }
      }
      counts[best]++;
      rest[best] = -1;
      given++;
    }
    return counts;
  }

  /** Fisher–Yates over the (sorted) input, so the result depends only on the seed. */
  static List<Integer> shuffled(Collection<Integer> sorted, RandomGenerator random) {
    List<Integer> l = new ArrayList<>(sorted);
    for (int i = l.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Integer t = l.get(i);
      l.set(i, l.get(j));
      l.set(j, t);
    }
    return l;
  }

  /** {@code silo-01 … silo-NN}: zero-padded so sorted order is numeric order. */
  static String siloName(int index, int silos) {
    int width = Integer.toString(silos).length();
    return "silo-" + String.format("%0" + width + "d", index + 1);
  }
}
