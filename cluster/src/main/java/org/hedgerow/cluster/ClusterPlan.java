package org.hedgerow.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which silos form which region, and which worker trains which silo. Regions are contiguous blocks
 * of the silos in name order (the coordinator's summation order), cut where the running example
 * count passes each k/R of the total; so a region's silos, and hence the result, depend only on the
 * silos and R — never on how many workers there are or which answered first. Workers (sorted by
 * name) are dealt to regions in turn; inside a region each silo goes to the member with the fewest
 * examples so far (largest silos first). The region's first member is its sub-coordinator.
 */
public record ClusterPlan(List<Region> regions) {

  /** A silo and its example count. */
  public record Silo(String name, long examples) {}

  /**
   * @param id the region's client id at the coordinator
   * @param leader the member that sums the region's updates
   * @param members worker name to the silos it trains (members without silos are left out)
   */
  public record Region(String id, String leader, Map<String, List<String>> members) {
    public List<String> silos() {
      List<String> all = new ArrayList<>();
      members.values().forEach(all::addAll);
      all.sort(null);
      return all;
    }
  }

  static ClusterPlan of(List<Silo> silos, List<String> workers, int regionCount) {
    return of(silos, workers, regionCount, 1);
  }

  /**
   * As above, every region holding at least {@code minSilos} silos (secure aggregation needs three: a
   * region's sum over two silos reveals each to the other).
   */
  static ClusterPlan of(List<Silo> silos, List<String> workers, int regionCount, int minSilos) {
    if (regionCount < 1) {
      throw new IllegalArgumentException("regions must be >= 1. Provided value: " + regionCount);
    }
    if (workers.size() < regionCount) {
      throw new IllegalArgumentException(regionCount + " regions need at least as many workers; the cluster has "
          + workers.size());
    }
    if (minSilos < 1) {
      throw new IllegalArgumentException("minSilos must be >= 1. Provided value: " + minSilos);
    }
    if (silos.size() < (long) regionCount * minSilos) {
      throw new IllegalArgumentException(regionCount + " regions need at least " + (long) regionCount * minSilos
          + " training silos (" + minSilos + " each" + (minSilos > 1 ? ", for secure aggregation" : "") + "); the run has "
          + silos.size());
    }
    List<Silo> ordered = new ArrayList<>(silos);
    ordered.sort(Comparator.comparing(Silo::name));
    List<String> sortedWorkers = new ArrayList<>(workers);
    sortedWorkers.sort(null);
    List<List<Silo>> blocks = blocks(ordered, regionCount, minSilos);
    List<Region> regions = new ArrayList<>();
    for (int r = 0; r < regionCount; r++) {
      List<String> members = new ArrayList<>();
      for (int w = r; w < sortedWorkers.size(); w += regionCount) {
        members.add(sortedWorkers.get(w));
      }
      regions.add(new Region("region-" + (r + 1), members.get(0), deal(blocks.get(r), members)));
    }
    return new ClusterPlan(List.copyOf(regions));
  }

  /**
   * Contiguous blocks of at least {@code min} silos each, cut at the running example count's k/R marks
   * (a cut waits until the block has {@code min} silos, and comes early when the silos left are just
   * enough for the blocks left).
   */
  private static List<List<Silo>> blocks(List<Silo> ordered, int r, int min) {
    long total = ordered.stream().mapToLong(Silo::examples).sum();
    List<List<Silo>> out = new ArrayList<>();
    List<Silo> current = new ArrayList<>();
    long running = 0;
    for (int i = 0; i < ordered.size(); i++) {
      Silo s = ordered.get(i);
      current.add(s);
      running += s.examples();
      int remainingBlocks = r - out.size() - 1;
      int remainingSilos = ordered.size() - i - 1;
      boolean pastMark = running * r >= total * (out.size() + 1);
      boolean mustCut = remainingSilos == (long) remainingBlocks * min;
      if (remainingBlocks > 0 && current.size() >= min && (pastMark || mustCut)) {
        out.add(current);
        current = new ArrayList<>();
      }
    }
    out.add(current);
    return out;
  }

  /** Largest silo first to the least-loaded member (ties: the member first in name order). */
  private static Map<String, List<String>> deal(List<Silo> silos, List<String> members) {
    List<Silo> bySize = new ArrayList<>(silos);
    bySize.sort(Comparator.comparingLong(Silo::examples).reversed().thenComparing(Silo::name));
    Map<String, Long> load = new LinkedHashMap<>();
    members.forEach(m -> load.put(m, 0L));
    Map<String, List<String>> out = new TreeMap<>();
    for (Silo s : bySize) {
      String least = members.get(0);
      for (String m : members) {
        if (load.get(m) < load.get(least)) {
          least = m;
        }
      }
      load.merge(least, s.examples(), Long::sum);
      out.computeIfAbsent(least, k -> new ArrayList<>()).add(s.name());
    }
    out.values().forEach(l -> l.sort(null));
    return out;
  }
}
