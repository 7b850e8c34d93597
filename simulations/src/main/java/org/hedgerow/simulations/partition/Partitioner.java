package org.hedgerow.simulations.partition;

import java.util.List;
import java.util.Map;
import org.hedgerow.edge.data.PurchaseLine;

/**
 * Splits a pooled log into silos, the way the data would sit in separate shops.
 *
 * <p>A customer always lands in exactly one silo: the customer is the unit of privacy, and a
 * customer spread over two silos would be accounted for twice.
 */
public interface Partitioner {
  /** Silo name to its lines, in a stable (sorted) order so runs are reproducible. */
  Map<String, List<PurchaseLine>> partition(List<PurchaseLine> lines);

  /** Silos of the skewed partitions when the spec does not say. */
  int DEFAULT_SKEWED_SILOS = 15;

  /** The partition specs {@link #parse} accepts, for help texts and errors. */
  String SPECS = "region, region:FILE, customer (= per-customer), dirichlet:ALPHA[:SILOS], "
      + "quantity-skew:ALPHA[:SILOS]";

  /**
   * Parses a partition spec: {@code region} (the shipped mapping), {@code region:FILE},
   * {@code customer} or {@code per-customer} (one client per customer), {@code dirichlet:ALPHA[:SILOS]}
   * (country-label skew, {@link DirichletPartitioner}) or {@code quantity-skew:ALPHA[:SILOS]}
   * ({@link QuantitySkewPartitioner}); SILOS defaults to {@value #DEFAULT_SKEWED_SILOS}. The seed
   * fixes the skewed partitions' draws.
   */
  static Partitioner parse(String spec, int ukShops, long seed) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("partition must be one of " + SPECS + ". Provided value: " + spec);
    }
    if (spec.equals("customer") || spec.equals("per-customer")) {
      return new CustomerPartitioner();
    }
    if (spec.equals("region")) {
      return RegionPartitioner.bundled(ukShops);
    }
    if (spec.startsWith("region:")) {
      return RegionPartitioner.fromFile(java.nio.file.Path.of(spec.substring("region:".length())), ukShops);
    }
    for (String kind : new String[] {"dirichlet", "quantity-skew"}) {
      if (spec.startsWith(kind + ":")) {
        String[] p = spec.substring(kind.length() + 1).split(":", -1);
        if (p.length > 2) {
          throw new IllegalArgumentException(kind + " takes ALPHA[:SILOS]. Provided value: " + spec);
        }
        double alpha;
        int silos;
        try {
          alpha = Double.parseDouble(p[0]);
          silos = p.length == 2 ? Integer.parseInt(p[1]) : DEFAULT_SKEWED_SILOS;
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(kind + " takes ALPHA[:SILOS] with a number ALPHA and an integer SILOS. "
              + "Provided value: " + spec);
        }
        return kind.equals("dirichlet") ? new DirichletPartitioner(alpha, silos, seed)
            : new QuantitySkewPartitioner(alpha, silos, seed);
      }
    }
    throw new IllegalArgumentException("partition must be one of " + SPECS + ". Provided value: " + spec);
  }
}
