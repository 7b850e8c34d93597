package org.hedgerow.simulations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.hedgerow.edge.data.CsvLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Runs a {@link SweepGrid}: one federation per point (no baselines, to keep a sweep affordable),
 * appending a row to {@link #TABLE} as soon as each point finishes (flushed to disk), so a sweep
 * that is interrupted resumes where it stopped: points already in the table are skipped. Writes
 * {@link #PLOT} (hr@10 per point) at the end. Data are loaded once per distinct data/partition/
 * holdout/seed.
 */
public final class Sweep {
  public static final String TABLE = "sweep.csv";
  public static final String PLOT = "sweep.png";
  static final List<String> RESULT_COLUMNS = List.of("method", "rounds", "hr@10", "recall@10", "ndcg@10", "auc",
      "recall@10-repeat", "recall@10-explore", "repeat-share@10", "max_silo_epsilon", "noise_multiplier", "seconds");

  private Sweep() {}

  /** One finished point: its axis values (as JSON text) and the result columns. */
  public record Row(String key, List<String> axisValues, List<String> results) {
    double hr10() {
      return Double.parseDouble(results.get(2));
    }
  }

  /**
   * Runs the points of {@code grid} not yet in {@code dir/sweep.csv}; returns every row of the
   * table afterwards. {@code load} reads a scenario's data (called once per distinct data key).
   */
  public static List<Row> run(SweepGrid grid, Function<Scenario, FederationData> load, Path dir, PrintStream out)
      throws Exception {
    Files.createDirectories(dir);
    Path table = dir.resolve(TABLE);
    List<String> header = header(grid);
    Map<String, Row> done = read(table, header);
    if (done.isEmpty()) {
      Files.writeString(table, csvLine(header), StandardCharsets.UTF_8);
    }
    List<ObjectNode> points = grid.points();
    int todo = (int) points.stream().filter(p -> !done.containsKey(key(p))).count();
    out.printf("sweep: %d points, %d already in %s, %d to run%n", points.size(), points.size() - todo, table, todo);
    Map<String, FederationData> data = new HashMap<>();
    long start = System.nanoTime();
    int ran = 0;
    for (ObjectNode p : points) {
      String key = key(p);
      if (done.containsKey(key)) {
        continue;
      }
      Scenario s = grid.scenarioFor(p);
      out.printf("sweep: point %d/%d %s%n", ran + 1, todo, key);
      FederationData fd = data.computeIfAbsent(dataKey(s), k -> load.apply(s));
      Simulation.SingleRun r = new Simulation(s, out).federationOnly(fd);
      if (r.result() == null) {
        throw new IllegalStateException("sweep point " + key + ": no round completed");
      }
      Row row = new Row(key, axisValues(p), results(s, r));
      appendDurably(table, csvLine(cells(row)));
      done.put(key, row);
      ran++;
      double perPoint = (System.nanoTime() - start) / 1e9 / ran;
      out.printf("sweep: [%s] %d/%d done, hr@10 %s, %.0f s/point, about %.0f s left%n", bar(ran, todo), ran, todo,
          row.results().get(2), perPoint, perPoint * (todo - ran));
    }
    List<Row> rows = new ArrayList<>();
    for (ObjectNode p : points) {
      rows.add(done.get(key(p)));
    }
    plot(grid, rows, dir.resolve(PLOT));
    return rows;
  }

  static List<String> header(SweepGrid grid) {
    List<String> h = new ArrayList<>();
    h.add("point");
    h.addAll(grid.axes().keySet());
    h.addAll(RESULT_COLUMNS);
    return h;
  }

  /** A point's identity in the table: its axis values in axis order, as compact JSON. */
  static String key(ObjectNode point) {
    return point.toString();
  }

  private static List<String> axisValues(ObjectNode p) {
    List<String> v = new ArrayList<>();
    p.fields().forEachRemaining(e -> v.add(e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    return v;
  }

  private static List<String> results(Scenario s, Simulation.SingleRun r) {
    var m = r.result().overall();
    boolean dp = r.privacy() != null;
    String method = "federated" + (s.privacyEnabled() ? "-dp" : "") + (s.secureAggregation().enabled() ? "-secagg" : "");
    return List.of(method, Integer.toString(r.rounds().size()), f(m.hr10()), f(m.recall10()), f(m.ndcg10()), f(m.auc()),
        f(m.recall10Repeat()), f(m.recall10Explore()), f(m.repeatShare10()),
        dp ? f(r.privacy().maxEpsilon()) : "", dp ? f(r.privacy().noiseMultiplier()) : "",
        String.format(Locale.ROOT, "%.1f", r.seconds()));
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }

  private static List<String> cells(Row r) {
    List<String> c = new ArrayList<>();
    c.add(r.key());
    c.addAll(r.axisValues());
    c.addAll(r.results());
    return c;
  }

  private static String dataKey(Scenario s) {
    return String.join("\u0000", s.data(), s.partition(), Integer.toString(s.ukShops()), s.holdout(),
        Long.toString(s.seed()), String.valueOf(s.catalogue()));
  }

  private static String bar(int done, int total) {
    int width = 20;
    int full = total == 0 ? width : done * width / total;
    return "#".repeat(full) + ".".repeat(width - full);
  }

  /** Appends one line and forces it to disk: a finished point survives a crash of the sweep. */
  private static void appendDurably(Path table, String line) throws IOException {
    try (FileChannel ch = FileChannel.open(table, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(StandardCharsets.UTF_8.encode(line));
      ch.force(true);
    }
  }

  /** The rows already in {@code table}, by key; the table must have been written by the same grid. */
  static Map<String, Row> read(Path table, List<String> header) throws IOException {
    Map<String, Row> rows = new LinkedHashMap<>();
    if (!Files.exists(table)) {
      return rows;
    }
    List<String> lines = Files.readAllLines(table, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      return rows;
    }
    if (!header.equals(CsvLine.split(lines.get(0)))) {
      throw new IllegalArgumentException(table + " was written by a different grid (columns " + lines.get(0)
          + "); use another output directory, or delete it to start over");
    }
    int axes = header.size() - 1 - RESULT_COLUMNS.size();
    for (int i = 1; i < lines.size(); i++) {
      List<String> c = CsvLine.split(lines.get(i));
      if (c == null || c.size() != header.size()) {
        // A line cut short by a crash mid-write: that point runs again.
        continue;
      }
      rows.put(c.get(0), new Row(c.get(0), c.subList(1, 1 + axes), c.subList(1 + axes, c.size())));
    }
    return rows;
  }

  static String csvLine(List<String> cells) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(CsvLine.quote(cells.get(i)));
    }
    return b.append('\n').toString();
  }

  /**
   * hr@10 per point. With a numeric axis (ε caps, rounds, ...) it is the x axis and the other axes
   * make the series, an ε of "inf" drawn as a flat line; otherwise one bar per point.
   */
  static void plot(SweepGrid grid, List<Row> rows, Path file) throws IOException {
    List<String> names = new ArrayList<>(grid.axes().keySet());
    int numeric = -1;
    for (int a = 0; a < names.size() && numeric < 0; a++) {
      List<JsonNode> values = grid.axes().get(names.get(a));
      boolean allNumeric = values.stream().allMatch(v -> v.isNumber() || v.isNull()
          || (v.isTextual() && v.asText().equalsIgnoreCase("inf")));
      long finite = values.stream().filter(JsonNode::isNumber).count();
      if (allNumeric && finite >= 2) {
        numeric = a;
      }
    }
    if (numeric < 0) {
      CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title("hr@10 per sweep point")
          .xAxisTitle("point").yAxisTitle("hr@10").build();
      chart.addSeries("hr@10", rows.stream().map(r -> String.join(" / ", r.axisValues())).toList(),
          rows.stream().map(Row::hr10).toList());
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
      return;
    }
    final int x = numeric;
    XYChart chart = new XYChartBuilder().width(900).height(500).title("hr@10 against " + names.get(x))
        .xAxisTitle(names.get(x)).yAxisTitle("hr@10").build();
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    Map<String, Double> flat = new LinkedHashMap<>();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Row r : rows) {
      List<String> others = new ArrayList<>(r.axisValues());
      String xv = others.remove(x);
      String label = others.isEmpty() ? "federated" : String.join(" / ", others);
      if (xv.equalsIgnoreCase("inf") || xv.equals("null")) {
        flat.put(label + " (" + names.get(x) + " = inf)", r.hr10());
      } else {
        double xd = Double.parseDouble(xv);
        lo = Math.min(lo, xd);
        hi = Math.max(hi, xd);
        series.computeIfAbsent(label, k -> new ArrayList<>()).add(new double[] {xd, r.hr10()});
      }
    }
    for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
      List<double[]> pts = e.getValue();
      pts.sort((a, b) -> Double.compare(a[0], b[0]));
      chart.addSeries(e.getKey(), pts.stream().mapToDouble(p -> p[0]).toArray(),
          pts.stream().mapToDouble(p -> p[1]).toArray()).setMarker(SeriesMarkers.CIRCLE);
    }
    for (Map.Entry<String, Double> e : flat.entrySet()) {
      chart.addSeries(e.getKey(), new double[] {lo, hi}, new double[] {e.getValue(), e.getValue()})
          .setMarker(SeriesMarkers.NONE);
    }
    if (lo > 0 && hi / lo >= 8) {
      chart.getStyler().setXAxisLogarithmic(true);
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
