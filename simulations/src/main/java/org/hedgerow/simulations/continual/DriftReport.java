package org.hedgerow.simulations.continual;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hedgerow.edge.data.PurchaseLine;

/**
 * Per silo and month, how far its customers' purchases moved from the month before: the population
 * stability index of the product mix and of the description-word mix (a stand-in for categories),
 * over invoice lines. A silo has <em>moved</em> when an index exceeds {@link
 * PopulationStability#MOVED_THRESHOLD} and also twice what sampling alone gives at its size (small silos
 * with a few dozen lines a month would otherwise "move" every month by chance; {@link
 * PopulationStability#noiseFloor}).
 */
public final class DriftReport {
  /** Most frequent products or words kept as bins; the rest share one. */
  public static final int BINS = 20;

  private DriftReport() {}

  /**
   * @param linesBefore lines in the earlier month, {@code linesAfter} in {@code month}
   * @param productPsi NaN when either month has no lines; {@code wordPsi} also NaN without descriptions
   */
  public record Row(String silo, YearMonth month, int linesBefore, int linesAfter, double productPsi,
      double productNoise, double wordPsi, double wordNoise, boolean moved) {}

  /** One row per silo for each month after the first. */
  public static List<Row> compute(MonthlyWindows windows, ProductWords words) {
    List<Row> rows = new ArrayList<>();
    List<YearMonth> months = windows.months();
    Map<String, List<PurchaseLine>> previous = months.isEmpty() ? Map.of() : windows.linesIn(months.get(0));
    for (int m = 1; m < months.size(); m++) {
      Map<String, List<PurchaseLine>> current = windows.linesIn(months.get(m));
      for (Map.Entry<String, List<PurchaseLine>> e : current.entrySet()) {
        List<PurchaseLine> before = previous.getOrDefault(e.getKey(), List.of());
        rows.add(row(e.getKey(), months.get(m), before, e.getValue(), words));
      }
      previous = current;
    }
    return rows;
  }

  static Row row(String silo, YearMonth month, List<PurchaseLine> before, List<PurchaseLine> after, ProductWords words) {
    PopulationStability.Result products = PopulationStability.of(productCounts(before), productCounts(after), BINS);
    PopulationStability.Result wordMix = words.isEmpty()
        ? new PopulationStability.Result(Double.NaN, Double.NaN, 0)
        : PopulationStability.of(wordCounts(before, words), wordCounts(after, words), BINS);
    if (!words.isEmpty() && !before.isEmpty() && !after.isEmpty()) {
      // A line's three or four words move together: the independent draws are the lines, not the words.
      wordMix = new PopulationStability.Result(wordMix.psi(),
          PopulationStability.noiseFloor(wordMix.bins(), before.size(), after.size()), wordMix.bins());
    }
    boolean moved = movedBy(products) || movedBy(wordMix);
    return new Row(silo, month, before.size(), after.size(), products.psi(), products.noiseFloor(), wordMix.psi(),
        wordMix.noiseFloor(), moved);
  }

  private static boolean movedBy(PopulationStability.Result r) {
    return r.psi() > PopulationStability.MOVED_THRESHOLD && r.psi() > 2 * r.noiseFloor();
  }

  private static Map<String, Integer> productCounts(List<PurchaseLine> lines) {
    Map<String, Integer> counts = new HashMap<>();
    lines.forEach(l -> counts.merge(l.stockCode(), 1, Integer::sum));
    return counts;
  }

  private static Map<String, Integer> wordCounts(List<PurchaseLine> lines, ProductWords words) {
    Map<String, Integer> counts = new HashMap<>();
    lines.forEach(l -> words.of(l.stockCode()).forEach(w -> counts.merge(w, 1, Integer::sum)));
    return counts;
  }
}
