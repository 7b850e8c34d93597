package org.hedgerow.simulations.continual;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** continual.csv, drift.csv and their plots. Months are drawn as months since the first one shown. */
public final class ContinualReports {
  public static final String CONTINUAL = "continual.csv";
  public static final String CONTINUAL_PLOT = "continual.png";
  public static final String DRIFT = "drift.csv";
  public static final String DRIFT_PLOT = "drift.png";

  private ContinualReports() {}

  public static void write(List<ContinualRun.Month> months, List<DriftReport.Row> drift, Path dir) throws IOException {
    Files.createDirectories(dir);
    StringBuilder c = new StringBuilder("month,train_baskets,test_baskets,stale_hr@10,refreshed_hr@10,stale_ndcg@10,"
        + "refreshed_ndcg@10,first_model_hr@10,first_model_ndcg@10,repeat_hr@10,repeat_ndcg@10,rounds,seconds\n");
    for (ContinualRun.Month m : months) {
      c.append(String.format(Locale.ROOT, "%s,%d,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%d,%.1f%n", m.month(),
          m.trainBaskets(), m.testBaskets(), m.staleHr10(), m.refreshedHr10(), m.staleNdcg10(), m.refreshedNdcg10(),
          m.frozenHr10(), m.frozenNdcg10(), m.repeatHr10(), m.repeatNdcg10(), m.rounds(), m.seconds()));
    }
    Files.writeString(dir.resolve(CONTINUAL), c, StandardCharsets.UTF_8);
    StringBuilder d = new StringBuilder("silo,month,lines_before,lines_after,product_psi,product_noise_psi,word_psi,"
        + "word_noise_psi,moved\n");
    for (DriftReport.Row r : drift) {
      d.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%.4f,%.4f,%.4f,%.4f,%s%n",
          org.hedgerow.edge.data.CsvLine.quote(r.silo()), r.month(), r.linesBefore(), r.linesAfter(), r.productPsi(),
          r.productNoise(), r.wordPsi(), r.wordNoise(), r.moved()));
    }
    Files.writeString(dir.resolve(DRIFT), d, StandardCharsets.UTF_8);
    plotContinual(months, dir.resolve(CONTINUAL_PLOT));
    plotDrift(drift, dir.resolve(DRIFT_PLOT));
  }

  private static void plotContinual(List<ContinualRun.Month> months, Path file) throws IOException {
    if (months.isEmpty()) {
      return;
    }
    YearMonth first = months.get(0).month();
    XYChart chart = new XYChartBuilder().width(900).height(500)
        .title("next-basket hr@10 per month: stale against refreshed model")
        .xAxisTitle("months since " + first).yAxisTitle("hr@10").build();
    double[] x = months.stream().mapToDouble(m -> first.until(m.month(), java.time.temporal.ChronoUnit.MONTHS)).toArray();
    chart.addSeries("stale (trained to the month before)", x,
        months.stream().mapToDouble(ContinualRun.Month::staleHr10).toArray()).setMarker(SeriesMarkers.CIRCLE);
    chart.addSeries("refreshed (warm start + this month's window)", x,
        months.stream().mapToDouble(ContinualRun.Month::refreshedHr10).toArray()).setMarker(SeriesMarkers.DIAMOND);
    chart.addSeries("first model, never refreshed", x,
        months.stream().mapToDouble(ContinualRun.Month::frozenHr10).toArray()).setMarker(SeriesMarkers.SQUARE);
    chart.addSeries("repeat", x, months.stream().mapToDouble(ContinualRun.Month::repeatHr10).toArray())
        .setMarker(SeriesMarkers.NONE);
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static void plotDrift(List<DriftReport.Row> drift, Path file) throws IOException {
    List<DriftReport.Row> finite = drift.stream().filter(r -> Double.isFinite(r.productPsi())).toList();
    if (finite.isEmpty()) {
      return;
    }
    YearMonth first = finite.stream().map(DriftReport.Row::month).min(YearMonth::compareTo).orElseThrow();
    YearMonth last = finite.stream().map(DriftReport.Row::month).max(YearMonth::compareTo).orElseThrow();
    XYChart chart = new XYChartBuilder().width(900).height(500)
        .title("product-mix PSI against the month before, per silo (moved: > "
            + PopulationStability.MOVED_THRESHOLD + ")")
        .xAxisTitle("months since " + first).yAxisTitle("PSI").build();
    Map<String, List<double[]>> bySilo = new LinkedHashMap<>();
    for (DriftReport.Row r : finite) {
      bySilo.computeIfAbsent(r.silo(), k -> new ArrayList<>())
          .add(new double[] {first.until(r.month(), java.time.temporal.ChronoUnit.MONTHS), Math.max(r.productPsi(), 1e-4)});
    }
    bySilo.forEach((silo, pts) -> chart.addSeries(silo, pts.stream().mapToDouble(p -> p[0]).toArray(),
        pts.stream().mapToDouble(p -> p[1]).toArray()).setMarker(SeriesMarkers.CIRCLE));
    double span = first.until(last, java.time.temporal.ChronoUnit.MONTHS);
    chart.addSeries("threshold", new double[] {0, span},
        new double[] {PopulationStability.MOVED_THRESHOLD, PopulationStability.MOVED_THRESHOLD})
        .setMarker(SeriesMarkers.NONE);
    chart.getStyler().setYAxisLogarithmic(true);
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
