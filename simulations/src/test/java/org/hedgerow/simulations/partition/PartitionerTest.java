package org.hedgerow.simulations.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hedgerow.edge.data.PurchaseLine;
import org.junit.jupiter.api.Test;

class PartitionerTest {
  private static PurchaseLine line(int customer, String country) {
    return new PurchaseLine("1", "10000", 1, LocalDateTime.of(2011, 1, 1, 0, 0), 1.0, customer, country);
  }

  @Test
  void region_bundledMapping_groupsCountriesIntoShops() {
    Map<String, List<PurchaseLine>> p = RegionPartitioner.bundled(1).partition(List.of(
        line(1, "Germany"), line(2, "Spain"), line(3, "Portugal"), line(4, "Atlantis"), line(5, "United Kingdom")));
    assertEquals(Set.of("germany", "iberia", "rest-of-world", "uk"), p.keySet());
    assertEquals(2, p.get("iberia").size());
  }

  @Test
  void region_ukSplitIntoFourShops_everyCustomerInExactlyOneShop() {
    List<PurchaseLine> lines = new ArrayList<>();
    for (int c = 1; c <= 400; c++) {
      lines.add(line(c, "United Kingdom"));
      lines.add(line(c, "United Kingdom"));
    }
    Map<String, List<PurchaseLine>> p = RegionPartitioner.bundled(4).partition(lines);
    assertEquals(Set.of("uk-1", "uk-2", "uk-3", "uk-4"), p.keySet());
    Set<Integer> seen = new HashSet<>();
    for (List<PurchaseLine> shop : p.values()) {
      Set<Integer> here = new HashSet<>();
      shop.forEach(l -> here.add(l.customerId()));
      for (int c : here) {
        assertTrue(seen.add(c), "customer " + c + " in two shops");
      }
      assertTrue(here.size() > 60, "unbalanced split: " + here.size() + " of 400"); // expected 100 each
    }
    assertEquals(400, seen.size());
  }

  @Test
  void region_customerUnderTwoCountries_goesWhereTheyBoughtMost() {
    Map<String, List<PurchaseLine>> p = RegionPartitioner.bundled(1).partition(List.of(
        line(7, "France"), line(7, "Germany"), line(7, "Germany")));
    assertEquals(Set.of("germany"), p.keySet());
    assertEquals(3, p.get("germany").size());
  }

  @Test
  void customer_oneClientPerCustomer() {
    Map<String, List<PurchaseLine>> p = new CustomerPartitioner().partition(List.of(
        line(1, "France"), line(2, "France"), line(1, "Spain")));
    assertEquals(Set.of("customer-1", "customer-2"), p.keySet());
    assertEquals(2, p.get("customer-1").size());
  }

  @Test
  void parse_unknownName_failsNamingValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Partitioner.parse("country", 4, 1));
    assertTrue(e.getMessage().contains("Provided value: country"));
  }

  @Test
  void region_zeroUkShops_rejected() {
    assertThrows(IllegalArgumentException.class, () -> RegionPartitioner.bundled(0));
  }
}
