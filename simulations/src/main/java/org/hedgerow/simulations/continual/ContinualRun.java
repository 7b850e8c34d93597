package org.hedgerow.simulations.continual;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hedgerow.edge.eval.ModelRanker;
import org.hedgerow.edge.eval.RepeatRanker;
import org.hedgerow.edge.features.FeatureExtractor;
import org.hedgerow.edge.model.PreferenceModel;
import org.hedgerow.edge.silo.PreparedSilo;
import org.hedgerow.simulations.Evaluation;
import org.hedgerow.simulations.FederationData;
import org.hedgerow.simulations.MethodResult;
import org.hedgerow.simulations.Scenario;
import org.hedgerow.simulations.Simulation;

/**
 * A lifelong federation, month by month ({@code simulate --continual monthly}). A first federation trains
 * from scratch on everything before the month before the first evaluated one; then, for each evaluated
 * month M, a short federation warm-starts from the previous global model and trains on everything before
 * M (the growing window of {@link MonthlyWindows}). On M's next baskets it compares the <em>stale</em>
 * model (the previous global model, trained on data up to the month before) with the <em>refreshed</em>
 * one. Both rank with the silos' current features: what refreshing changes is the shared model only, the
 * one thing that costs a federation. The first model, never refreshed, and the {@code repeat} baseline are
 * reported beside them.
 */
public final class ContinualRun {
  /** The only schedule so far. */
  public static final String MONTHLY = "monthly";
  /** Index of the first evaluated month: the first model trains on the log's first two months. */
  public static final int FIRST_EVALUATED_MONTH = 3;

  private ContinualRun() {}

  /** One evaluated month. {@code testBaskets}: returning customers' next baskets in the month. */
  public record Month(YearMonth month, long trainBaskets, long testBaskets, double staleHr10, double staleNdcg10,
      double refreshedHr10, double refreshedNdcg10, double frozenHr10, double frozenNdcg10, double repeatHr10,
      double repeatNdcg10, int rounds, double seconds) {}

  /**
   * @param refreshRounds federated rounds per monthly refresh (the first model gets the scenario's rounds)
   * @throws IllegalArgumentException under DP (monthly releases are not accounted across months yet) or
   *     with fewer months than the schedule needs
   */
  public static List<Month> run(Scenario scenario, MonthlyWindows windows, int refreshRounds, PrintStream out)
      throws Exception {
    if (!scenario.privacy().equals("none")) {
      throw new IllegalArgumentException("--continual runs the plain federation only: a monthly DP federation would "
          + "spend each silo's budget again every month, which is not accounted across months. Provided privacy: "
          + scenario.privacy());
    }
    if (refreshRounds < 1) {
      throw new IllegalArgumentException("rounds per monthly refresh must be >= 1. Provided value: " + refreshRounds);
    }
    List<YearMonth> months = windows.months();
    if (months.size() <= FIRST_EVALUATED_MONTH) {
      throw new IllegalArgumentException("a monthly continual run needs at least " + (FIRST_EVALUATED_MONTH + 1)
          + " months of data; the log spans " + months.size() + " " + months);
    }
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("rounds", refreshRounds);
    Scenario refresh = scenario.with(o, "continual refresh");

    YearMonth coldMonth = months.get(FIRST_EVALUATED_MONTH - 1);
    out.printf("continual: first model on invoices before %s (%d rounds), then %d rounds a month from %s to %s%n",
        coldMonth, scenario.rounds(), refreshRounds, months.get(FIRST_EVALUATED_MONTH), months.get(months.size() - 1));
    float[] model = new Simulation(scenario, out).federationOnly(windows.window(coldMonth), null).finalModel();
    // The first model, never refreshed: how far months of drift take a model nobody retrains.
    float[] frozen = model;
    List<Month> rows = new ArrayList<>();
    for (int m = FIRST_EVALUATED_MONTH; m < months.size(); m++) {
      long t0 = System.nanoTime();
      YearMonth month = months.get(m);
      FederationData data = windows.window(month);
      Simulation.SingleRun refreshed = new Simulation(refresh, out).federationOnly(data, model);
      if (refreshed.finalModel() == null) {
        throw new IllegalStateException("the refresh for " + month + " closed no round");
      }
      MethodResult stale = evaluate(scenario, data, model, refreshed.silos());
      MethodResult first = evaluate(scenario, data, frozen, refreshed.silos());
      MethodResult repeat = Evaluation.evaluate(data, s -> new RepeatRanker(data.pooledStats()));
      Month row = new Month(month, data.silos().stream().mapToLong(s -> s.trainBaskets()).sum(),
          data.silos().stream().mapToLong(s -> s.testBaskets()).sum(), stale.overall().hr10(),
          stale.overall().ndcg10(), refreshed.result().overall().hr10(), refreshed.result().overall().ndcg10(),
          first.overall().hr10(), first.overall().ndcg10(), repeat.overall().hr10(), repeat.overall().ndcg10(), refreshed.rounds().size(), (System.nanoTime() - t0) / 1e9);
      out.printf(Locale.ROOT, "%s: %,d test baskets; hr@10 stale %.4f refreshed %.4f (first model %.4f, repeat %.4f); "
          + "ndcg@10 stale %.4f refreshed %.4f; %.1f s%n", month, row.testBaskets(), row.staleHr10(),
          row.refreshedHr10(), row.frozenHr10(), row.repeatHr10(), row.staleNdcg10(), row.refreshedNdcg10(),
          row.seconds());
      rows.add(row);
      model = refreshed.finalModel();
    }
    return rows;
  }

  /** {@code parameters} ranked with each silo's current features. */
  private static MethodResult evaluate(Scenario scenario, FederationData data, float[] parameters,
      List<PreparedSilo> silos) {
    PreferenceModel m = new PreferenceModel(scenario.modelSpec(), scenario.seed());
    m.setParameters(parameters);
    Map<String, FeatureExtractor> features = new HashMap<>();
    silos.forEach(s -> features.put(s.data().name(), s.features()));
    return Evaluation.evaluate(data, s -> new ModelRanker(m, features.get(s.name())));
  }
}
