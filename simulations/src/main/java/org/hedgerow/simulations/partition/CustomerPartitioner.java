package org.hedgerow.simulations.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hedgerow.edge.data.PurchaseLine;

/** Cross-device federation: one client per customer, named {@code customer-<id>}. */
public final class CustomerPartitioner implements Partitioner {
  @Override
  public Map<String, List<PurchaseLine>> partition(List<PurchaseLine> lines) {
    Map<String, List<PurchaseLine>> out = new TreeMap<>();
    for (PurchaseLine l : lines) {
      out.computeIfAbsent("customer-" + l.customerId(), k -> new ArrayList<>()).add(l);
    }
    return out;
  }
}
