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

  /**
   * Parses a partitioner name: {@code region} (the shipped mapping), {@code region:FILE}, or
   * {@code customer}.
   */
  static Partitioner parse(String spec, int ukShops) {
    if (spec.equals("customer")) {
      return new CustomerPartitioner();
    }
    if (spec.equals("region")) {
      return RegionPartitioner.bundled(ukShops);
    }
    if (spec.startsWith("region:")) {
      return RegionPartitioner.fromFile(java.nio.file.Path.of(spec.substring("region:".length())), ukShops);
    }
    throw new IllegalArgumentException(
        "partitioner must be 'region', 'region:FILE' or 'customer'. Provided value: " + spec);
  }
}
