package org.hedgerow.simulations.continual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.hedgerow.edge.data.PurchaseLine;
import org.hedgerow.edge.data.RetailLogLoader;
import org.hedgerow.simulations.Scenario;
import org.hedgerow.simulations.partition.RegionPartitioner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole monthly run on three small regional silos with a small model. */
class ContinualRunTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  private static Scenario small(String privacy) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("rounds", 1).put("targets_per_customer", 2).put("examples_per_kind", 8).put("seed", 7)
        .put("privacy", privacy);
    o.putArray("hidden").add(16).add(8);
    return Scenario.bundledDefault().with(o, "test");
  }

  private static MonthlyWindows windows() {
    RetailLogLoader.Result log = new RetailLogLoader().load(
        Path.of("../data/online-retail/online_retail.csv.gz").toAbsolutePath());
    Set<String> countries = Set.of("Germany", "France", "Spain", "Portugal");
    List<PurchaseLine> subset = log.lines().stream().filter(l -> countries.contains(l.country())).toList();
    return MonthlyWindows.of(subset, log.report(), RegionPartitioner.bundled(1), null);
  }

  @Test
  @Tag("slow")
  void run_smallFederation_everyEvaluatedMonthReportedAndWritten(@TempDir Path dir) throws Exception {
    MonthlyWindows w = windows();
    List<ContinualRun.Month> months = ContinualRun.run(small("none"), w, 1, QUIET);
    assertEquals(w.months().size() - ContinualRun.FIRST_EVALUATED_MONTH, months.size());
    for (ContinualRun.Month m : months) {
      assertTrue(m.testBaskets() > 0, m.month() + " has no test baskets");
      for (double v : new double[] {m.staleHr10(), m.refreshedHr10(), m.frozenHr10(), m.repeatHr10()}) {
        assertTrue(v >= 0 && v <= 1, m.month() + ": hr@10 " + v);
      }
      assertEquals(1, m.rounds());
    }
    // The training window grows month by month.
    for (int i = 1; i < months.size(); i++) {
      assertTrue(months.get(i).trainBaskets() > months.get(i - 1).trainBaskets());
    }
    ContinualReports.write(months, DriftReport.compute(w, ProductWords.none()), dir);
    assertEquals(months.size() + 1, Files.readAllLines(dir.resolve(ContinualReports.CONTINUAL)).size());
    assertTrue(Files.size(dir.resolve(ContinualReports.CONTINUAL_PLOT)) > 0);
    assertTrue(Files.size(dir.resolve(ContinualReports.DRIFT_PLOT)) > 0);
  }

  @Test
  void run_underLocalDp_refusedNamingPrivacy() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ContinualRun.run(small("local"), windows(), 1, QUIET));
    assertTrue(e.getMessage().contains("privacy"), e.getMessage());
  }
}
