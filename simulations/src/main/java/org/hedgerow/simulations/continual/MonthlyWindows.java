package org.hedgerow.simulations.continual;

import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.hedgerow.edge.data.CleaningReport;
import org.hedgerow.edge.data.PurchaseLine;
import org.hedgerow.edge.features.ItemStats;
import org.hedgerow.edge.task.Catalogue;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.Holdout;
import org.hedgerow.edge.task.SiloData;
import org.hedgerow.simulations.FederationData;
import org.hedgerow.simulations.partition.Partitioner;

/**
 * A log cut into growing monthly windows. The window of month M trains on every invoice before the
 * first day of M and tests, for each customer who bought before M, their first invoice in M (their next
 * basket). Nothing dated on or after the start of M reaches training, item statistics or (without a
 * declared catalogue) the candidate products; a customer's silo is fixed once, from the whole log, as a
 * shop's membership is.
 */
public final class MonthlyWindows {
  private final Map<String, List<PurchaseLine>> bySilo;
  private final CleaningReport report;
  private final Catalogue declared;
  private final List<YearMonth> months;

  private MonthlyWindows(Map<String, List<PurchaseLine>> bySilo, CleaningReport report, Catalogue declared) {
    this.bySilo = bySilo;
    this.report = report;
    this.declared = declared;
    TreeSet<YearMonth> m = new TreeSet<>();
    bySilo.values().forEach(lines -> lines.forEach(l -> m.add(YearMonth.from(l.time()))));
    this.months = List.copyOf(m);
  }

  /**
   * @param declared the declared public catalogue, or null to rank each window over the products of its
   *     own training data
   */
  public static MonthlyWindows of(List<PurchaseLine> lines, CleaningReport report, Partitioner partitioner,
      Catalogue declared) {
    return new MonthlyWindows(partitioner.partition(lines), report, declared);
  }

  /** The months the log has invoices in, oldest first. */
  public List<YearMonth> months() {
    return months;
  }

  /** Each silo's lines dated within {@code month}. */
  public Map<String, List<PurchaseLine>> linesIn(YearMonth month) {
    Map<String, List<PurchaseLine>> out = new LinkedHashMap<>();
    bySilo.forEach((silo, lines) -> out.put(silo, lines.stream()
        .filter(l -> YearMonth.from(l.time()).equals(month)).toList()));
    return out;
  }

  /**
   * Training: everything before {@code month}; test: each returning customer's first invoice in it.
   *
   * @throws IllegalArgumentException if the log has no invoice before {@code month}
   */
  public FederationData window(YearMonth month) {
    if (months.isEmpty() || !month.isAfter(months.get(0))) {
      throw new IllegalArgumentException("no invoices before " + month + " to train on; the log starts "
          + (months.isEmpty() ? "nowhere (it is empty)" : "in " + months.get(0)));
    }
    LocalDateTime end = month.plusMonths(1).atDay(1).atStartOfDay();
    Map<String, List<PurchaseLine>> upToEnd = new LinkedHashMap<>();
    List<PurchaseLine> all = new ArrayList<>();
    bySilo.forEach((silo, lines) -> {
      List<PurchaseLine> kept = lines.stream().filter(l -> l.time().isBefore(end)).toList();
      upToEnd.put(silo, kept);
      all.addAll(kept);
    });
    Holdout holdout = new Holdout.After(month.atDay(1));
    FederationData cut = FederationData.of(all, report, ignored -> upToEnd, holdout, declared);
    List<SiloData> silos = new ArrayList<>();
    for (SiloData s : cut.silos()) {
      List<CustomerLog> customers = new ArrayList<>();
      for (CustomerLog c : s.customers()) {
        if (c.train().isEmpty()) {
          continue; // first seen this month: no history to rank from, and nothing to train on
        }
        customers.add(new CustomerLog(c.customerId(), c.train(), c.test().isEmpty() ? List.of() : List.of(c.test().get(0))));
      }
      silos.add(new SiloData(s.name(), customers));
    }
    return new FederationData(report, holdout, cut.catalogue(), silos, ItemStats.of(silos, cut.catalogue().size()));
  }
}
