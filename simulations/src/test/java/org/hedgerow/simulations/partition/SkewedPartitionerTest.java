package org.hedgerow.simulations.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hedgerow.edge.data.PurchaseLine;
import org.junit.jupiter.api.Test;

class SkewedPartitionerTest {
  private static final String[] COUNTRIES = {"France", "Germany", "Spain", "Portugal", "Italy", "Norway"};

  /** 600 customers, 100 per country, two lines each. */
  private static List<PurchaseLine> log() {
    List<PurchaseLine> lines = new ArrayList<>();
    for (int c = 0; c < 600; c++) {
      String country = COUNTRIES[c % COUNTRIES.length];
      for (int k = 0; k < 2; k++) {
        lines.add(new PurchaseLine("5" + c, "8509" + k, 1, LocalDateTime.of(2011, 1, 1 + k, 10, 0), 1.0, c, country));
      }
    }
    return lines;
  }

  private static void assertCustomersWhole(Map<String, List<PurchaseLine>> silos, int customers) {
    Map<Integer, String> seen = new HashMap<>();
    for (Map.Entry<String, List<PurchaseLine>> e : silos.entrySet()) {
      for (PurchaseLine l : e.getValue()) {
        String before = seen.putIfAbsent(l.customerId(), e.getKey());
        assertTrue(before == null || before.equals(e.getKey()), "customer " + l.customerId() + " split");
      }
    }
    assertEquals(customers, seen.size());
  }

  /** Mean over silos of the largest country's share of the silo's customers: 1/6 is IID, 1 is one country each. */
  private static double meanTopCountryShare(Map<String, List<PurchaseLine>> silos) {
    double sum = 0;
    for (List<PurchaseLine> lines : silos.values()) {
      Map<String, Set<Integer>> byCountry = new HashMap<>();
      Set<Integer> all = new HashSet<>();
      for (PurchaseLine l : lines) {
        byCountry.computeIfAbsent(l.country(), k -> new HashSet<>()).add(l.customerId());
        all.add(l.customerId());
      }
      sum += byCountry.values().stream().mapToInt(Set::size).max().orElse(0) / (double) all.size();
    }
    return sum / silos.size();
  }

  @Test
  void dirichlet_sameSeed_sameSilosAndCustomersWhole() {
    Map<String, List<PurchaseLine>> a = Partitioner.parse("dirichlet:0.5:10", 1, 7).partition(log());
    Map<String, List<PurchaseLine>> b = Partitioner.parse("dirichlet:0.5:10", 1, 7).partition(log());
    assertEquals(a, b);
    assertCustomersWhole(a, 600);
    assertTrue(a.keySet().stream().allMatch(k -> k.matches("silo-\\d\\d")), a.keySet().toString());
  }

  @Test
  void dirichlet_differentSeed_differentSilos() {
    assertNotEquals(Partitioner.parse("dirichlet:0.5:10", 1, 7).partition(log()),
        Partitioner.parse("dirichlet:0.5:10", 1, 8).partition(log()));
  }

  @Test
  void dirichlet_smallAlpha_silosMoreDominatedByOneCountryThanLargeAlpha() {
    // Deterministic for these seeds; the expected gap is large (about 0.8 vs 0.2), so any sound
    // sampler passes for almost every seed.
    double skewed = meanTopCountryShare(Partitioner.parse("dirichlet:0.05:10", 1, 3).partition(log()));
    double iid = meanTopCountryShare(Partitioner.parse("dirichlet:1000:10", 1, 3).partition(log()));
    assertTrue(skewed > 0.6, "alpha 0.05 top-country share " + skewed);
    assertTrue(iid < 0.3, "alpha 1000 top-country share " + iid);
  }

  @Test
  void quantitySkew_smallAlpha_unequalSizesNoEmptySilo() {
    Map<String, List<PurchaseLine>> silos = Partitioner.parse("quantity-skew:0.2:12", 1, 5).partition(log());
    assertEquals(12, silos.size());
    assertCustomersWhole(silos, 600);
    int max = silos.values().stream().mapToInt(List::size).max().orElseThrow() / 2;
    int min = silos.values().stream().mapToInt(List::size).min().orElseThrow() / 2;
    assertTrue(min >= 1, "empty silo");
    assertTrue(max >= 5 * min, "sizes " + min + ".." + max + " are not skewed");
  }

  @Test
  void quantitySkew_moreSilosThanCustomers_failsNamingBoth() {
    List<PurchaseLine> few = log().subList(0, 4); // 2 customers
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Partitioner.parse("quantity-skew:1:3", 1, 1).partition(few));
    assertTrue(e.getMessage().contains("2 customers for 3 silos"), e.getMessage());
  }

  @Test
  void parse_perCustomer_isTheCustomerPartitioner() {
    assertInstanceOf(CustomerPartitioner.class, Partitioner.parse("per-customer", 1, 1));
  }

  @Test
  void parse_badAlphaOrSilos_failsNamingTheSpec() {
    for (String spec : List.of("dirichlet:-1", "dirichlet:abc", "quantity-skew:0.5:1", "dirichlet:1:2:3", "dirichlet:NaN")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Partitioner.parse(spec, 1, 1),
          spec);
      assertTrue(e.getMessage().contains("Provided value"), spec + ": " + e.getMessage());
    }
  }
}
