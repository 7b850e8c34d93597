package org.hedgerow.simulations.partition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.random.RandomGenerator;
import org.hedgerow.edge.data.PurchaseLine;

/**
 * Label-skewed silos: for every country (the "label" of a customer), silo shares are drawn from a
 * symmetric Dirichlet(α) and that country's customers are dealt to silos in those shares. Small α
 * gives silos dominated by a few countries (strongly non-IID); large α approaches an IID split. This
 * is the partition of Hsu et al., "Measuring the Effects of Non-Identical Data Distribution for
 * Federated Visual Classification" (2019), with the customer's main country as its label.
 *
 * <p>Research only: seeded, so the same seed gives the same silos. Customers stay whole.
 */
public final class DirichletPartitioner implements Partitioner {
  private final double alpha;
  private final int silos;
  private final long seed;

  public DirichletPartitioner(double alpha, int silos, long seed) {
    this.alpha = Dirichlet.checkAlpha(alpha);
    this.silos = Dirichlet.checkSilos(silos);
    this.seed = seed;
  }

  @Override
  public Map<String, List<PurchaseLine>> partition(List<PurchaseLine> lines) {
    Map<String, TreeSet<Integer>> customersByCountry = new TreeMap<>();
    CustomerCountries.mainCountry(lines).forEach(
        (customer, country) -> customersByCountry.computeIfAbsent(country, k -> new TreeSet<>()).add(customer));
    RandomGenerator random = Dirichlet.random(seed);
    Map<Integer, String> siloOf = new HashMap<>();
    for (TreeSet<Integer> customers : customersByCountry.values()) {
      double[] shares = Dirichlet.sample(alpha, silos, random);
      List<Integer> shuffled = Dirichlet.shuffled(customers, random);
      int[] counts = Dirichlet.apportion(shares, shuffled.size());
      int next = 0;
      for (int s = 0; s < silos; s++) {
        for (int i = 0; i < counts[s]; i++) {
          siloOf.put(shuffled.get(next++), Dirichlet.siloName(s, silos));
        }
      }
    }
    return byCustomerSilo(lines, siloOf);
  }

  static Map<String, List<PurchaseLine>> byCustomerSilo(List<PurchaseLine> lines, Map<Integer, String> siloOf) {
    Map<String, List<PurchaseLine>> out = new TreeMap<>();
    for (PurchaseLine l : lines) {
      out.computeIfAbsent(siloOf.get(l.customerId()), k -> new ArrayList<>()).add(l);
    }
    return out;
  }
}
