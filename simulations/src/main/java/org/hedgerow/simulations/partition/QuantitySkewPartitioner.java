package org.hedgerow.simulations.partition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.math3.random.RandomGenerator;
import org.hedgerow.edge.data.PurchaseLine;

/**
 * Quantity-skewed silos: silo sizes (in customers) are drawn once from a symmetric Dirichlet(α) and
 * customers are dealt to silos at random in those sizes, so every silo sees the same kind of
 * customer but some silos are far larger than others (small α: a few big shops and many tiny ones).
 * Every silo keeps at least one customer. Research only: seeded; customers stay whole.
 */
public final class QuantitySkewPartitioner implements Partitioner {
  private final double alpha;
  private final int silos;
  private final long seed;

  public QuantitySkewPartitioner(double alpha, int silos, long seed) {
    this.alpha = Dirichlet.checkAlpha(alpha);
    this.silos = Dirichlet.checkSilos(silos);
    this.seed = seed;
  }

  @Override
  public Map<String, List<PurchaseLine>> partition(List<PurchaseLine> lines) {
    TreeSet<Integer> customers = new TreeSet<>();
    for (PurchaseLine l : lines) {
      customers.add(l.customerId());
    }
    if (customers.size() < silos) {
      throw new IllegalArgumentException("quantity-skew needs at least one customer per silo: " + customers.size()
          + " customers for " + silos + " silos");
    }
    RandomGenerator random = Dirichlet.random(seed);
    double[] shares = Dirichlet.sample(alpha, silos, random);
    List<Integer> shuffled = Dirichlet.shuffled(customers, random);
    // One customer per silo first, the rest in the drawn shares: no silo is empty.
    int[] counts = Dirichlet.apportion(shares, shuffled.size() - silos);
    Map<Integer, String> siloOf = new HashMap<>();
    int next = 0;
    for (int s = 0; s < silos; s++) {
      for (int i = 0; i < counts[s] + 1; i++) {
        siloOf.put(shuffled.get(next++), Dirichlet.siloName(s, silos));
      }
    }
    return DirichletPartitioner.byCustomerSilo(lines, siloOf);
  }
}
