package org.hedgerow.simulations;

import java.nio.file.Path;
import org.hedgerow.edge.eval.Metrics;
import org.hedgerow.edge.eval.RepeatRanker;
import org.hedgerow.edge.eval.TifuKnnSettings;
import org.hedgerow.edge.task.Catalogue;
import org.hedgerow.edge.task.Holdout;
import org.hedgerow.simulations.partition.Partitioner;

/**
 * Developer tool, not a test: loads the default scenario's data from a Hedgerow home and runs only
 * the named methods that need no federation ({@code repeat}, {@code tifu-knn}, {@code
 * tifu-knn-local}, {@code centralized}, which also prints the explore policies on its model),
 * printing their metrics. Usage: {@code PreferenceBench HOME [--copurchase] method...}.
 */
public final class PreferenceBench {
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    Scenario s = Scenario.bundledDefault();
    int first = 1;
    if (args.length > 1 && args[1].equals("--copurchase")) {
      s = s.with(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("copurchase", true), "bench");
      first = 2;
    }
    long t0 = System.nanoTime();
    FederationData data = FederationData.load(home.resolve(s.data()), Partitioner.parse(s.partition(), s.ukShops(), s.seed()),
        Holdout.parse(s.holdout()), Catalogue.load(home.resolve(s.catalogue())));
    System.out.printf("loaded in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    Simulation sim = new Simulation(s, System.out);
    for (int a = first; a < args.length; a++) {
      long t = System.nanoTime();
      MethodResult r = switch (args[a]) {
        case "repeat" -> Evaluation.evaluate(data, x -> new RepeatRanker(data.pooledStats()));
        case "tifu-knn" -> TifuKnnBaselines.pooled(data, TifuKnnSettings.defaultGrid(), System.out);
        case "tifu-knn-local" -> TifuKnnBaselines.local(data, TifuKnnSettings.defaultGrid(), System.out);
        case "centralized" -> {
          org.hedgerow.edge.eval.ModelRanker model = sim.centralizedRanker(data, sim.modelSpec());
          for (int slots : new int[] {1, 2, 3, 5}) {
            print("centralized+explore-" + slots, Evaluation.evaluate(data,
                x -> org.hedgerow.edge.eval.ExploreSlotsRanker.fixed(model, slots)).overall(), t);
          }
          for (double scale : new double[] {0.5, 1.0, 2.0}) {
            print("centralized+calibrated-" + scale, Evaluation.evaluate(data,
                x -> org.hedgerow.edge.eval.ExploreSlotsRanker.calibrated(model, scale)).overall(), t);
          }
          yield Evaluation.evaluate(data, x -> model);
        }
        default -> throw new IllegalArgumentException("unknown method " + args[a]);
      };
      print(args[a], r.overall(), t);
    }
  }

  private static void print(String name, Metrics m, long t) {
    System.out.printf("%-15s hr@10 %.4f recall@10 %.4f ndcg@10 %.4f auc %.4f repeat %.4f explore %.4f "
          + "repeat-share %.4f (%d baskets, %.1f s)%n", name, m.hr10(), m.recall10(), m.ndcg10(), m.auc(),
          m.recall10Repeat(), m.recall10Explore(), m.repeatShare10(), m.baskets(), (System.nanoTime() - t) / 1e9);
  }
}
