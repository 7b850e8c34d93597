package org.hedgerow.edge.task;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hedgerow.edge.data.PurchaseLine;

/**
 * One silo's customers, their baskets split by a holdout, indexed against a shared catalogue.
 *
 * <p>Products in test baskets that the catalogue does not hold (first sold during the test period)
 * stay in the test basket as index -1: they count as misses, never silently removed.
 */
public final class SiloData {
  /** Index used for a held-out product that no training data contains. */
  public static final int UNKNOWN_ITEM = -1;

  private final String name;
  private final List<CustomerLog> customers;

  public SiloData(String name, List<CustomerLog> customers) {
    this.name = name;
    this.customers = List.copyOf(customers);
  }

  public String name() {
    return name;
  }

  public List<CustomerLog> customers() {
    return customers;
  }

  public long trainBaskets() {
    return customers.stream().mapToLong(c -> c.train().size()).sum();
  }

  public long testBaskets() {
    return customers.stream().mapToLong(c -> c.test().size()).sum();
  }

  /** Groups lines into baskets (one per invoice) per customer, in time order. */
  public static Map<Integer, List<BasketLines>> basketsByCustomer(List<PurchaseLine> lines) {
    Map<String, BasketLines> byInvoice = new LinkedHashMap<>();
    for (PurchaseLine l : lines) {
      byInvoice.computeIfAbsent(l.invoice(), k -> new BasketLines(l.invoice(), l.customerId(), l.time(), new TreeMap<>()))
          .quantities().merge(l.stockCode(), l.quantity(), Integer::sum);
    }
    Map<Integer, List<BasketLines>> out = new TreeMap<>();
    for (BasketLines b : byInvoice.values()) {
      out.computeIfAbsent(b.customerId(), k -> new ArrayList<>()).add(b);
    }
    Comparator<BasketLines> order = Comparator.comparing(BasketLines::time).thenComparing(BasketLines::invoice);
    out.values().forEach(list -> list.sort(order));
    return out;
  }

  /** Product codes that appear in training baskets under the holdout. */
  public static java.util.Set<String> trainingCodes(Map<Integer, List<BasketLines>> byCustomer, Holdout holdout) {
    java.util.Set<String> codes = new java.util.HashSet<>();
    byCustomer.values().forEach(list -> {
      List<BasketLines> train = split(list, holdout)[0];
      train.forEach(b -> codes.addAll(b.quantities().keySet()));
    });
    return codes;
  }

  /** Builds the silo from its lines; {@code catalogue} is usually built from all silos' training codes. */
  public static SiloData build(String name, Map<Integer, List<BasketLines>> byCustomer, Holdout holdout, Catalogue catalogue) {
    List<CustomerLog> logs = new ArrayList<>();
    byCustomer.forEach((customer, list) -> {
      List<BasketLines>[] parts = split(list, holdout);
      logs.add(new CustomerLog(customer, index(parts[0], catalogue), index(parts[1], catalogue)));
    });
    return new SiloData(name, logs);
  }

  @SuppressWarnings("unchecked")
  private static List<BasketLines>[] split(List<BasketLines> ordered, Holdout holdout) {
    if (holdout instanceof Holdout.After after) {
      List<BasketLines> train = new ArrayList<>();
      List<BasketLines> test = new ArrayList<>();
      for (BasketLines b : ordered) {
        (b.time().toLocalDate().isBefore(after.date()) ? train : test).add(b);
      }
      return new List[] {train, test};
    }
    if (ordered.size() < 2) {
      return new List[] {ordered, List.of()};
    }
    return new List[] {ordered.subList(0, ordered.size() - 1), List.of(ordered.get(ordered.size() - 1))};
  }

  private static List<Basket> index(List<BasketLines> baskets, Catalogue catalogue) {
    List<Basket> out = new ArrayList<>(baskets.size());
    for (BasketLines b : baskets) {
      Map<Integer, Integer> q = new TreeMap<>();
      int unknown = 0;
      for (Map.Entry<String, Integer> e : b.quantities().entrySet()) {
        int i = catalogue.indexOf(e.getKey());
        if (i < 0) {
          unknown++;
        } else {
          q.put(i, e.getValue());
        }
      }
      int[] items = new int[q.size() + unknown];
      int[] qty = new int[items.length];
      int k = 0;
      for (int u = 0; u < unknown; u++) {
        items[k++] = UNKNOWN_ITEM;
      }
      for (Map.Entry<Integer, Integer> e : q.entrySet()) {
        qty[k] = e.getValue();
        items[k++] = e.getKey();
      }
      out.add(new Basket(b.invoice(), b.customerId(), b.time(), items, qty));
    }
    return out;
  }

  /** An invoice before indexing: product code to total quantity. */
  public record BasketLines(String invoice, int customerId, java.time.LocalDateTime time, Map<String, Integer> quantities) {}
}
