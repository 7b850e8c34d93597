package org.hedgerow.simulations;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hedgerow.edge.data.DropReason;
import org.hedgerow.edge.eval.Metrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Writes a run's {@code summary.json}, {@code rounds.csv}, {@code hr10_per_round.png} and prints its table. */
public final class Reports {
  public static final String SUMMARY = "summary.json";
  public static final String ROUNDS = "rounds.csv";
  public static final String PLOT = "hr10_per_round.png";
  /** The privacy ledger: one row per silo and round (written when the run has a private federation). */
  public static final String PRIVACY = "privacy.csv";
  /** The DP federation's signed ledger (as GET /v1/ledger serves it) and its coordinator's public key. */
  public static final String LEDGER = "ledger.jsonl";
  public static final String LEDGER_KEY = "ledger-key.pub";
  /** Per-round figures of {@code federated-dp}, same columns as {@link #ROUNDS}. */
  public static final String DP_ROUNDS = "rounds-dp.csv";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Reports() {}

  public static void write(SimulationResult r, Path dir) throws IOException {
    Files.createDirectories(dir);
    JSON.writeValue(dir.resolve(SUMMARY).toFile(), summary(r));
    List<String> lines = new ArrayList<>();
    lines.add(RoundRow.HEADER);
    r.rounds().forEach(row -> lines.add(row.csv()));
    Files.write(dir.resolve(ROUNDS), lines, StandardCharsets.UTF_8);
    if (r.privacy() != null) {
      List<String> ledger = new ArrayList<>();
      ledger.add(org.hedgerow.privacy.budget.Spend.CSV_HEADER);
      r.privacy().spends().forEach(sp -> ledger.add(sp.csv()));
      Files.write(dir.resolve(PRIVACY), ledger, StandardCharsets.UTF_8);
      List<String> dpLines = new ArrayList<>();
      dpLines.add(RoundRow.HEADER);
      r.dpRounds().forEach(row -> dpLines.add(row.csv()));
      Files.write(dir.resolve(DP_ROUNDS), dpLines, StandardCharsets.UTF_8);
      if (r.privacy().ledger() != null) {
        Files.writeString(dir.resolve(LEDGER), r.privacy().ledger().jsonLines());
        Files.writeString(dir.resolve(LEDGER_KEY), r.privacy().ledger().coordinatorKeyHex() + "\n");
      }
    }
    plot(r, dir.resolve(PLOT));
  }

  static ObjectNode summary(SimulationResult r) {
    ObjectNode root = JSON.createObjectNode();
    if (r.scenario().deterministicNoise() != null) {
      // First key, so nobody reads the figures below without seeing it.
      root.putObject("deterministic_noise").put("seed", r.scenario().deterministicNoise())
          .put("warning", org.hedgerow.privacy.noise.NoiseSource.WARNING);
    }
    ObjectNode ds = root.putObject("dataset");
    ds.put("file", r.scenario().data());
    ds.put("rows_read", r.data().report().rowsRead());
    ds.put("rows_kept", r.data().report().rowsKept());
    ds.put("rows_dropped", r.data().report().rowsDropped());
    ObjectNode by = ds.putObject("dropped_by_reason");
    for (Map.Entry<DropReason, Long> e : r.data().report().droppedByReason().entrySet()) {
      by.put(e.getKey().key(), e.getValue());
    }
    ds.put("catalogue_products", r.data().catalogue().size());
    if (r.coordinator() != null) {
      root.put("coordinator", r.coordinator()); // silos ran against this separately started coordinator
    }
    root.put("holdout", r.data().holdout().toString());
    root.put("partition", r.scenario().partition());
    var silos = root.putArray("silos");
    for (SimulationResult.SiloInfo s : r.silos()) {
      silos.addObject().put("name", s.name()).put("customers", s.customers()).put("train_examples", s.trainExamples())
          .put("test_baskets", s.testBaskets());
    }
    ObjectNode methods = root.putObject("methods");
    r.methods().forEach((name, m) -> {
      ObjectNode o = methods.putObject(name);
      metrics(o, m.overall());
      ObjectNode per = o.putObject("per_silo");
      m.perSilo().forEach((silo, sm) -> metrics(per.putObject(silo), sm));
    });
    if (!r.modelDigests().isEmpty()) {
      ObjectNode d = root.putObject("model_sha256"); // the final global model per federation, for replays
      r.modelDigests().forEach(d::put);
    }
    root.put("rounds", r.rounds().size());
    if (r.privacy() != null) {
      PrivacyReport p = r.privacy();
      ObjectNode priv = root.putObject("privacy");
      priv.put("mode", p.mode());
      priv.put("delta", p.delta());
      priv.put("noise_multiplier", p.noiseMultiplier());
      priv.put("noise_multiplier_calibrated", p.calibrated());
      if (p.ledger() != null) {
        priv.put("ledger_head", p.ledger().head());
        priv.put("ledger_key", p.ledger().coordinatorKeyHex());
      }
      if (p.mode().equals("local")) {
        // Charged to every silo's budget before training (docs/privacy.md, "Item statistics under DP").
        priv.put("stats_noise_multiplier", r.scenario().statsNoiseMultiplier());
        priv.put("count_noise_multiplier", r.scenario().countNoiseMultiplier());
      }
      if (p.composedEpsilon() != null) {
        ObjectNode c = priv.putObject("composed");
        c.put("note", "federated-dp, federated-dp-secagg (and federated-ddp-secagg when run) are separate DP "
            + "releases on the same customers; each silo's epsilon over all of them (one item release, every round of "
            + "every private federation)");
        ObjectNode per = c.putObject("epsilon");
        p.composedEpsilon().forEach(per::put);
        c.put("max_epsilon", p.composedEpsilon().values().stream().mapToDouble(Double::doubleValue).max().orElse(0));
      }
      priv.put("rounds", r.dpRounds().size());
      priv.put("finish_reason", p.finishReason());
      priv.put("max_epsilon", p.maxEpsilon());
      ObjectNode silos2 = priv.putObject("silos");
      p.holders().forEach((name, h) -> {
        ObjectNode o = silos2.putObject(name).put("epsilon", h.epsilon()).put("cap", h.cap()).put("rounds", h.rounds());
        if (h.declined() != null) {
          o.put("declined", h.declined());
        }
      });
    }
    if (r.crossDevice() != null) {
      crossDevice(root.putObject("cross_device"), r.crossDevice());
    }
    ObjectNode sec = root.putObject("seconds");
    sec.put("total", r.seconds());
    sec.put("training", r.trainingSeconds());
    sec.put("aggregation", r.aggregationSeconds());
    sec.put("federated_wall", r.federatedWallSeconds());
    if (r.privacy() != null) {
      sec.put("federated_dp_wall", r.dpWallSeconds());
    }
    sec.put("baselines_wall", r.baselineSeconds());
    sec.put("evaluation", r.evaluationSeconds());
    root.put("peak_heap_mb", PeakMemory.peakHeapMb());
    root.put("peak_rss_mb", PeakMemory.peakRssMb());
    root.set("scenario", r.scenario().toJson());
    return root;
  }

  private static void crossDevice(ObjectNode o, CrossDeviceReport c) {
    o.put("population", c.population()).put("devices_with_examples", c.withExamples())
        .put("expected_cohort", c.expectedCohort()).put("sampling_rate", c.samplingRate()).put("sampling", c.sampling())
        .put("dropout_rate", c.dropoutRate()).put("straggler_rate", c.stragglerRate());
    ObjectNode feds = o.putObject("federations");
    c.federations().forEach((name, rounds) -> {
      var arr = feds.putArray(name);
      for (CrossDeviceReport.Round x : rounds) {
        ObjectNode row = arr.addObject().put("round", x.round()).put("sampled", x.sampled()).put("dropped", x.dropped())
            .put("stragglers", x.stragglers()).put("declined", x.declined()).put("reported", x.reported())
            .put("seconds", x.seconds()).put("evaluation_seconds", x.evaluationSeconds())
            .put("peak_rss_mb", x.peakRssMb()).put("peak_heap_mb", x.peakHeapMb());
        put(row, "hr@10", x.hr10());
        put(row, "epsilon", x.epsilon());
      }
    });
  }

  private static void metrics(ObjectNode o, Metrics m) {
    put(o, "hr@10", m.hr10());
    put(o, "recall@10", m.recall10());
    put(o, "ndcg@10", m.ndcg10());
    put(o, "auc", m.auc());
    put(o, "recall@10-repeat", m.recall10Repeat());
    put(o, "recall@10-explore", m.recall10Explore());
    put(o, "repeat-share@10", m.repeatShare10());
    o.put("test_baskets", m.baskets());
  }

  private static void put(ObjectNode o, String k, double v) {
    if (Double.isNaN(v)) {
      o.putNull(k);
    } else {
      o.put(k, v);
    }
  }

  static void plot(SimulationResult r, Path file) throws IOException {
    XYChart chart = new XYChartBuilder().width(800).height(500).title("hr@10 per round — " + r.scenario().name())
        .xAxisTitle("round").yAxisTitle("hr@10").build();
    int n = Math.max(1, r.rounds().size());
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < r.rounds().size(); i++) {
      x[i] = r.rounds().get(i).round();
      y[i] = r.rounds().get(i).hr10();
    }
    if (r.rounds().isEmpty()) {
      x[0] = 1;
    }
    if (!r.rounds().isEmpty() || r.dpRounds().isEmpty()) { // a remote DP run has only the federated-dp series
      chart.addSeries("federated", x, y).setMarker(SeriesMarkers.CIRCLE);
    }
    if (!r.dpRounds().isEmpty()) {
      double[] dx = r.dpRounds().stream().mapToDouble(RoundRow::round).toArray();
      double[] dy = r.dpRounds().stream().mapToDouble(RoundRow::hr10).toArray();
      chart.addSeries(String.format(java.util.Locale.ROOT, "federated-dp (max eps %.2f)", r.privacy().maxEpsilon()), dx, dy)
          .setMarker(SeriesMarkers.DIAMOND);
    }
    for (String flat : List.of("centralized", "local-only", "repeat", "popularity")) {
      MethodResult m = r.methods().get(flat);
      if (m == null) {
        continue;
      }
      double[] fx = {1, Math.max(1, Math.max(r.rounds().size(), r.dpRounds().size()))};
      double[] fy = {m.overall().hr10(), m.overall().hr10()};
      XYSeries s = chart.addSeries(flat, fx, fy);
      s.setMarker(SeriesMarkers.NONE);
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** The results table printed at the end of a run. */
  public static void printTable(SimulationResult r, PrintStream out) {
    out.println();
    if (r.scenario().deterministicNoise() != null) {
      out.printf("*** %s (seed %d) ***%n", org.hedgerow.privacy.noise.NoiseSource.WARNING,
          r.scenario().deterministicNoise());
    }
    // The method column fits the longest name (19 characters for the classic set).
    String col = "%-" + Math.max(19, r.methods().keySet().stream().mapToInt(String::length).max().orElse(0)) + "s";
    out.printf(col + " %8s %10s %8s %8s %17s %18s %16s%n", "method", "hr@10", "recall@10", "ndcg@10", "auc",
        "recall@10-repeat", "recall@10-explore", "repeat-share@10");
    r.methods().forEach((name, m) -> out.printf(col + " %8.4f %10.4f %8.4f %8.4f %17.4f %18.4f %16.4f%n", name,
        m.overall().hr10(), m.overall().recall10(), m.overall().ndcg10(), m.overall().auc(),
        m.overall().recall10Repeat(), m.overall().recall10Explore(), m.overall().repeatShare10()));
    MethodResult fed = r.methods().get("federated");
    MethodResult local = r.methods().get("local-only");
    if (fed != null && local != null) {
      out.println();
      out.printf("%-16s %9s %9s %12s %12s %8s%n", "silo", "customers", "test", "local-only", "federated", "gain");
      for (SimulationResult.SiloInfo s : r.silos()) {
        Metrics f = fed.perSilo().get(s.name());
        Metrics l = local.perSilo().get(s.name());
        out.printf("%-16s %9d %9d %12.4f %12.4f %+8.4f%n", s.name(), s.customers(), s.testBaskets(), l.hr10(), f.hr10(),
            f.hr10() - l.hr10());
      }
    }
    if (r.privacy() != null) {
      PrivacyReport p = r.privacy();
      out.printf("%nprivacy (%s, delta %s, sigma %.6g%s): %d ledger entries written to %s%n", p.mode(), p.delta(),
          p.noiseMultiplier(), p.calibrated() ? " calibrated" : "", p.spends().size(), PRIVACY);
      out.printf("%-16s %10s %8s %7s  %s%n", "silo", "epsilon", "cap", "rounds", "declined");
      p.holders().forEach((name, h) -> out.printf("%-16s %10.4f %8.4g %7d  %s%n", name, h.epsilon(), h.cap(), h.rounds(),
          h.declined() == null ? "" : h.declined()));
      if (p.composedEpsilon() != null) {
        out.printf("the private federations are separate releases on the same customers: together they "
            + "spend up to epsilon %.4f per silo (over the cap of each)%n",
            p.composedEpsilon().values().stream().mapToDouble(Double::doubleValue).max().orElse(0));
      }
    }
    out.printf("%nrounds %d, %.1f s total (federated %.1f s, baselines %.1f s), peak heap %d MB, peak RSS %d MB%n",
        r.rounds().size(), r.seconds(), r.federatedWallSeconds(), r.baselineSeconds(), PeakMemory.peakHeapMb(),
        PeakMemory.peakRssMb());
  }
}
