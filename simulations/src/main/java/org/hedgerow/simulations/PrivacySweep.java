package org.hedgerow.simulations;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The privacy/utility trade-off: one federation per ε cap (σ calibrated to just fit it), plus the
 * non-private federation as ε = ∞, all on the same scenario and data. Writes a CSV table and a PNG
 * of hr@10 against ε. Only the federations run (no baselines), to keep a sweep affordable.
 */
public final class PrivacySweep {
  public static final String TABLE = "privacy_utility.csv";
  public static final String PLOT = "privacy_utility.png";

  /** One point of the sweep; ε = +∞ is the non-private federation. */
  public record Point(double epsilonCap, double maxEpsilon, double noiseMultiplier, int rounds, double hr10,
      double recall10, double ndcg10, double auc, double seconds) {
    public String csv() {
      return String.format(Locale.ROOT, "%s,%s,%s,%d,%.6f,%.6f,%.6f,%.6f,%.1f",
          Double.isInfinite(epsilonCap) ? "inf" : String.format(Locale.ROOT, "%g", epsilonCap),
          Double.isNaN(maxEpsilon) ? "" : String.format(Locale.ROOT, "%.6f", maxEpsilon),
          Double.isNaN(noiseMultiplier) ? "" : String.format(Locale.ROOT, "%.6f", noiseMultiplier), rounds, hr10,
          recall10, ndcg10, auc, seconds);
    }
  }

  public static final String HEADER = "epsilon_cap,max_silo_epsilon,noise_multiplier,rounds,hr@10,recall@10,ndcg@10,auc,seconds";

  private PrivacySweep() {}

  /** Runs the sweep on {@code base} (its privacy mode, or local if none) for each cap, then ε = ∞. */
  public static List<Point> run(Scenario base, FederationData data, List<Double> caps, PrintStream out)
      throws Exception {
    String mode = base.privacyEnabled() ? base.privacy() : "local";
    List<Point> points = new ArrayList<>();
    for (double cap : caps) {
      ObjectNode o = new ObjectMapper().createObjectNode();
      o.put("privacy", mode).put("epsilon_cap", cap).putNull("noise_multiplier");
      Simulation.SingleRun r = new Simulation(base.with(o, "sweep"), out).federationOnly(data);
      if (r.result() == null) {
        throw new IllegalStateException("no round completed at epsilon cap " + cap);
      }
      points.add(point(cap, r));
      out.printf("sweep: cap %s -> %s%n", cap, points.get(points.size() - 1).csv());
    }
    ObjectNode none = new ObjectMapper().createObjectNode().put("privacy", "none");
    Simulation.SingleRun r = new Simulation(base.with(none, "sweep"), out).federationOnly(data);
    points.add(point(Double.POSITIVE_INFINITY, r));
    out.printf("sweep: no DP -> %s%n", points.get(points.size() - 1).csv());
    return points;
  }

  private static Point point(double cap, Simulation.SingleRun r) {
    var m = r.result().overall();
    return new Point(cap, r.privacy() == null ? Double.NaN : r.privacy().maxEpsilon(),
        r.privacy() == null ? Double.NaN : r.privacy().noiseMultiplier(), r.rounds().size(), m.hr10(), m.recall10(),
        m.ndcg10(), m.auc(), r.seconds());
  }

  /** Writes {@link #TABLE} and {@link #PLOT} into {@code dir}. */
  public static void write(List<Point> points, String title, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    points.forEach(p -> lines.add(p.csv()));
    Files.write(dir.resolve(TABLE), lines, StandardCharsets.UTF_8);
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("epsilon cap per silo (log scale)")
        .yAxisTitle("hr@10").build();
    chart.getStyler().setXAxisLogarithmic(true);
    List<Point> finite = points.stream().filter(p -> Double.isFinite(p.epsilonCap())).toList();
    if (!finite.isEmpty()) {
      chart.addSeries("federated-dp", finite.stream().mapToDouble(Point::epsilonCap).toArray(),
          finite.stream().mapToDouble(Point::hr10).toArray()).setMarker(SeriesMarkers.CIRCLE);
      points.stream().filter(p -> Double.isInfinite(p.epsilonCap())).findFirst().ifPresent(inf -> {
        double lo = finite.stream().mapToDouble(Point::epsilonCap).min().orElse(1);
        double hi = finite.stream().mapToDouble(Point::epsilonCap).max().orElse(1);
        chart.addSeries("federated (no DP, eps = inf)", new double[] {lo, hi}, new double[] {inf.hr10(), inf.hr10()})
            .setMarker(SeriesMarkers.NONE);
      });
    }
    BitmapEncoder.saveBitmap(chart, dir.resolve(PLOT).toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
