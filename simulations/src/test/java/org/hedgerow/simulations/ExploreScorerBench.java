package org.hedgerow.simulations;

import java.nio.file.Path;
import java.util.List;
import org.hedgerow.edge.eval.Evaluator;
import org.hedgerow.edge.eval.ExploreSlotsRanker;
import org.hedgerow.edge.eval.MetricSums;
import org.hedgerow.edge.eval.Metrics;
import org.hedgerow.edge.eval.NewProductScorer;
import org.hedgerow.edge.eval.Ranker;
import org.hedgerow.edge.eval.RepeatRanker;
import org.hedgerow.edge.features.ItemStats;
import org.hedgerow.edge.task.Catalogue;
import org.hedgerow.edge.task.Holdout;
import org.hedgerow.edge.task.SiloData;
import org.hedgerow.simulations.continual.ProductWords;
import org.hedgerow.simulations.partition.Partitioner;

/**
 * Developer tool, not a test: the explore-slot policy with {@link NewProductScorer} over the {@code
 * repeat} ranker (a stand-in for the model's repeat order, no training), on the validation split
 * (each customer's last training basket; statistics from the baskets before it) or the test split.
 * Usage: {@code ExploreScorerBench HOME valid|test|cost} ({@code cost}: this thread's CPU seconds for
 * reading the descriptions, building every silo's scorer and the explore evaluation, the demo's added work).
 */
public final class ExploreScorerBench {
  public static void main(String[] args) {
    Path home = Path.of(args[0]);
    if (args[1].equals("cost")) {
      cost(home);
      return;
    }
    boolean valid = args[1].equals("valid");
    Scenario s = Scenario.bundledDefault();
    FederationData data = FederationData.load(home.resolve(s.data()), Partitioner.parse(s.partition(), s.ukShops(), s.seed()),
        Holdout.parse(s.holdout()), Catalogue.load(home.resolve(s.catalogue())));
    List<List<String>> words = ProductWords.load(home.resolve(s.data())).byIndex(data.catalogue());
    List<SiloData> silos = valid ? data.silos().stream().map(ExploreSignalStudy::validationSplit).toList() : data.silos();
    ItemStats pooled = ItemStats.of(silos, data.catalogue().size());
    for (int slots = 0; slots <= 3; slots++) {
      MetricSums plain = new MetricSums();
      MetricSums scored = new MetricSums();
      long t0 = System.nanoTime();
      for (SiloData silo : silos) {
        Ranker repeat = new RepeatRanker(pooled);
        plain.add(Evaluator.evaluate(silo, ExploreSlotsRanker.fixed(repeat, slots)));
        NewProductScorer scorer = NewProductScorer.of(silo.customers(), data.catalogue().size(), words);
        scored.add(Evaluator.evaluate(silo, ExploreSlotsRanker.fixed(repeat, slots, scorer)));
      }
      print(args[1] + " repeat s=" + slots, plain.metrics());
      print(args[1] + " repeat+scorer s=" + slots, scored.metrics());
      System.out.printf("  (%.1f s)%n", (System.nanoTime() - t0) / 1e9);
    }
  }

  private static void cost(Path home) {
    Scenario s = Scenario.bundledDefault();
    FederationData data = FederationData.load(home.resolve(s.data()), Partitioner.parse(s.partition(), s.ukShops(), s.seed()),
        Holdout.parse(s.holdout()), Catalogue.load(home.resolve(s.catalogue())));
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    for (int run = 0; run < 2; run++) {
      long t0 = cpu.getCurrentThreadCpuTime();
      List<List<String>> words = ProductWords.load(home.resolve(s.data())).byIndex(data.catalogue());
      long t1 = cpu.getCurrentThreadCpuTime();
      List<NewProductScorer> scorers = data.silos().stream()
          .map(x -> NewProductScorer.of(x.customers(), data.catalogue().size(), words)).toList();
      long t2 = cpu.getCurrentThreadCpuTime();
      MetricSums plain = new MetricSums();
      for (SiloData silo : data.silos()) {
        plain.add(Evaluator.evaluate(silo, ExploreSlotsRanker.fixed(new RepeatRanker(data.pooledStats()), 1)));
      }
      long t3 = cpu.getCurrentThreadCpuTime();
      MetricSums scored = new MetricSums();
      for (int k = 0; k < data.silos().size(); k++) {
        scored.add(Evaluator.evaluate(data.silos().get(k),
            ExploreSlotsRanker.fixed(new RepeatRanker(data.pooledStats()), 1, scorers.get(k))));
      }
      long t4 = cpu.getCurrentThreadCpuTime();
      System.out.printf("run %d CPU s: descriptions %.2f, scorers %.2f, explore evaluation %.2f with the scorer "
          + "against %.2f without%n", run, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t4 - t3) / 1e9, (t3 - t2) / 1e9);
    }
  }

  private static void print(String name, Metrics m) {
    System.out.printf("%-26s hr@10 %.4f recall@10 %.4f ndcg@10 %.4f repeat %.4f explore %.4f repeat-share %.4f (%d)%n",
        name, m.hr10(), m.recall10(), m.ndcg10(), m.recall10Repeat(), m.recall10Explore(), m.repeatShare10(),
        m.baskets());
  }
}
