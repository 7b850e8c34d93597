package org.hedgerow.simulations;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.hedgerow.edge.data.PurchaseLine;
import org.hedgerow.edge.data.RetailLogLoader;
import org.hedgerow.simulations.partition.RegionPartitioner;
import org.hedgerow.edge.task.Holdout;

/** A small real subset of the bundled data: the customers of a few countries, three regional silos. */
final class SmallFederation {
  static final Path DATA = Path.of("../data/online-retail/online_retail.csv.gz");
  private static RetailLogLoader.Result loaded;

  private SmallFederation() {}

  static FederationData data() {
    return FederationData.of(subset(), loaded.report(), RegionPartitioner.bundled(1), new Holdout.LastInvoice());
  }

  /** The same subset ranked over the bundled declared catalogue (codes and descriptions), as DP scenarios declare it. */
  static FederationData withDeclaredCatalogue() {
    return FederationData.of(subset(), loaded.report(), RegionPartitioner.bundled(1), new Holdout.LastInvoice(),
        org.hedgerow.edge.task.Catalogue.load(Path.of("../data/online-retail/catalogue.csv")));
  }

  /** The lines of a few countries' customers (the log is loaded once). */
  private static synchronized List<PurchaseLine> subset() {
    if (loaded == null) {
      loaded = new RetailLogLoader().load(DATA);
    }
    Set<String> countries = Set.of("Germany", "France", "Spain", "Portugal");
    return loaded.lines().stream().filter(l -> countries.contains(l.country())).toList();
  }

  /** Three clients, two short rounds, a smaller model: seconds, not minutes. */
  static Scenario scenario() {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("rounds", 2).put("targets_per_customer", 2).put("examples_per_kind", 8).put("seed", 7);
    o.putArray("hidden").add(16).add(8);
    return Scenario.bundledDefault().with(o, "test");
  }
}
