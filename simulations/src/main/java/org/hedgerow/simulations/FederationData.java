package org.hedgerow.simulations;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hedgerow.edge.data.CleaningReport;
import org.hedgerow.edge.data.PurchaseLine;
import org.hedgerow.edge.data.RetailLogLoader;
import org.hedgerow.edge.features.ItemStats;
import org.hedgerow.simulations.partition.Partitioner;
import org.hedgerow.edge.task.Catalogue;
import org.hedgerow.edge.task.Holdout;
import org.hedgerow.edge.task.SiloData;

/**
 * A simulated federation's data: the cleaned log split into silos, each silo's customers split by the
 * holdout, and one shared catalogue so that every method is ranked over the same candidates: the
 * scenario's declared, public catalogue (default), or every product in any silo's training data
 * (a research option; not public, so refused under local DP).
 */
public record FederationData(CleaningReport report, Holdout holdout, Catalogue catalogue, List<SiloData> silos,
    ItemStats pooledStats) {

  public static FederationData load(Path log, Partitioner partitioner, Holdout holdout) {
    return load(log, partitioner, holdout, null);
  }

  /**
   * @param declared the declared public catalogue every silo uses, or null to derive one from the
   *     silos' training data (non-private research runs only)
   */
  public static FederationData load(Path log, Partitioner partitioner, Holdout holdout, Catalogue declared) {
    RetailLogLoader.Result r = new RetailLogLoader().load(log);
    return of(r.lines(), r.report(), partitioner, holdout, declared);
  }

  public static FederationData of(List<PurchaseLine> lines, CleaningReport report, Partitioner partitioner,
      Holdout holdout) {
    return of(lines, report, partitioner, holdout, null);
  }

  public static FederationData of(List<PurchaseLine> lines, CleaningReport report, Partitioner partitioner,
      Holdout holdout, Catalogue declared) {
    Map<String, List<PurchaseLine>> parts = partitioner.partition(lines);
    Map<String, Map<Integer, List<SiloData.BasketLines>>> baskets = new LinkedHashMap<>();
    Set<String> codes = new HashSet<>();
    parts.forEach((silo, siloLines) -> {
      Map<Integer, List<SiloData.BasketLines>> b = SiloData.basketsByCustomer(siloLines);
      baskets.put(silo, b);
      codes.addAll(SiloData.trainingCodes(b, holdout));
    });
    Catalogue catalogue = declared != null ? declared : new Catalogue(codes);
    List<SiloData> silos = new ArrayList<>();
    baskets.forEach((silo, b) -> silos.add(SiloData.build(silo, b, holdout, catalogue)));
    return new FederationData(report, holdout, catalogue, silos, ItemStats.of(silos, catalogue.size()));
  }
}
