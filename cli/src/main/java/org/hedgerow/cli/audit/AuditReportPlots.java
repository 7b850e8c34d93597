package org.hedgerow.cli.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG plots, drawn with XChart from an {@link AuditReport} only. */
final class AuditReportPlots {
  static final String EPSILON_FILE = "epsilon_per_silo.png";
  static final String NOISE_FILE = "noise_per_release.png";

  private AuditReportPlots() {}

  /**
   * Writes the plots into {@code dir}.
   *
   * @return file name by plot key ({@code epsilon}, {@code noise}); empty if the ledger has no link
   */
  static Map<String, String> write(AuditReport r, Path dir) throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    if (r.releases().isEmpty()) {
      return files;
    }
    BitmapEncoder.saveBitmap(epsilon(r), dir.resolve(EPSILON_FILE).toString(), BitmapEncoder.BitmapFormat.PNG);
    files.put("epsilon", EPSILON_FILE);
    BitmapEncoder.saveBitmap(noise(r), dir.resolve(NOISE_FILE).toString(), BitmapEncoder.BitmapFormat.PNG);
    files.put("noise", NOISE_FILE);
    return files;
  }

  /** ε of each holder after each of its links, by round (releases at round 0), with every cap as a dashed line. */
  private static XYChart epsilon(AuditReport r) {
    XYChart chart = new XYChartBuilder().width(900).height(520).title("epsilon per silo over rounds, against its cap")
        .xAxisTitle("round (0: pre-training releases)").yAxisTitle("epsilon (total after the link)").build();
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
    int lastRound = 0;
    TreeSet<Double> caps = new TreeSet<>();
    for (AuditReport.Silo s : r.silos()) {
      if (s.series().isEmpty()) {
        continue;
      }
      double[] x = s.series().stream().mapToDouble(AuditReport.Point::round).toArray();
      double[] y = s.series().stream().mapToDouble(AuditReport.Point::epsilon).toArray();
      chart.addSeries(s.holder(), x, y).setMarker(SeriesMarkers.CIRCLE);
      lastRound = Math.max(lastRound, s.series().stream().mapToInt(AuditReport.Point::round).max().orElse(0));
      if (Double.isFinite(s.cap())) {
        caps.add(s.cap());
      }
    }
    for (double cap : caps) {
      XYSeries line = chart.addSeries(String.format(Locale.ROOT, "cap %s", trim(cap)), new double[] {0,
          Math.max(1, lastRound)}, new double[] {cap, cap});
      line.setMarker(SeriesMarkers.NONE);
      line.setLineStyle(SeriesLines.DASH_DASH);
      line.setLineColor(java.awt.Color.RED);
    }
    return chart;
  }

  /** σ (noise standard deviation over sensitivity) of every link, by round, one series per mechanism. */
  private static XYChart noise(AuditReport r) {
    XYChart chart = new XYChartBuilder().width(900).height(420).title("noise multiplier of every release, by mechanism")
        .xAxisTitle("round (0: pre-training releases)").yAxisTitle("sigma").build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
    Map<String, List<AuditReport.Release>> byMechanism = new LinkedHashMap<>();
    r.releases().forEach(x -> byMechanism.computeIfAbsent(x.spend().mechanism(), k -> new java.util.ArrayList<>()).add(x));
    byMechanism.forEach((mechanism, links) -> chart.addSeries(mechanism,
        links.stream().mapToDouble(x -> x.spend().round()).toArray(),
        links.stream().mapToDouble(x -> x.spend().noiseMultiplier()).toArray()));
    return chart;
  }

  static String trim(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
