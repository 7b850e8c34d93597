package org.hedgerow.simulations.partition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hedgerow.edge.data.PurchaseLine;

/** Each customer's main country: the one they bought from most (ties: alphabetically first). */
final class CustomerCountries {
  private CustomerCountries() {}

  static Map<Integer, String> mainCountry(List<PurchaseLine> lines) {
    Map<Integer, Map<String, Integer>> counts = new HashMap<>();
    for (PurchaseLine l : lines) {
      counts.computeIfAbsent(l.customerId(), k -> new TreeMap<>()).merge(l.country(), 1, Integer::sum);
    }
    Map<Integer, String> out = new HashMap<>();
    counts.forEach((customer, byCountry) -> {
      String country = null;
      int best = -1;
      for (Map.Entry<String, Integer> e : byCountry.entrySet()) { // TreeMap: alphabetical, ties keep the first
        if (e.getValue() > best) {
          best = e.getValue();
          country = e.getKey();
        }
      }
      out.put(customer, country);
    });
    return out;
  }
}
