package org.hedgerow.simulations;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.Catalogue;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.Holdout;
import org.hedgerow.edge.task.SiloData;
import org.hedgerow.simulations.partition.Partitioner;

/**
 * Developer tool, not a test: how much of hr@10 re-purchases can reach on the default split. Per
 * test basket: does it hold a product the customer bought before, and how many products did they
 * buy before (at most 10: every repeat-first ranker hits it). Usage: {@code HitRateCeilingStudy HOME}.
 */
public final class HitRateCeilingStudy {
  public static void main(String[] args) {
    Path home = Path.of(args[0]);
    Scenario s = Scenario.bundledDefault();
    FederationData data = FederationData.load(home.resolve(s.data()), Partitioner.parse(s.partition(), s.ukShops(), s.seed()),
        Holdout.parse(s.holdout()), Catalogue.load(home.resolve(s.catalogue())));
    long baskets = 0;
    long withRepeat = 0;
    long smallHistoryWithRepeat = 0;
    long[] byTrain = new long[5];
    long[] repeatByTrain = new long[5];
    for (SiloData silo : data.silos()) {
      for (CustomerLog c : silo.customers()) {
        if (c.test().isEmpty() || c.train().isEmpty()) {
          continue;
        }
        Set<Integer> hist = new HashSet<>();
        for (Basket b : c.train()) {
          for (int i : b.items()) {
            if (i >= 0) {
              hist.add(i);
            }
          }
        }
        boolean repeat = false;
        for (int i : c.test().get(0).items()) {
          repeat |= i >= 0 && hist.contains(i);
        }
        int n = c.train().size();
        int g = n == 1 ? 0 : n <= 3 ? 1 : n <= 10 ? 2 : n <= 30 ? 3 : 4;
        baskets++;
        byTrain[g]++;
        if (repeat) {
          withRepeat++;
          repeatByTrain[g]++;
          if (hist.size() <= 10) {
            smallHistoryWithRepeat++;
          }
        }
      }
    }
    System.out.printf("test baskets %d, with a repeat product %d (%.4f), of them history <= 10 products %d%n", baskets,
        withRepeat, (double) withRepeat / baskets, smallHistoryWithRepeat);
    String[] names = {"1", "2-3", "4-10", "11-30", ">30"};
    for (int g = 0; g < 5; g++) {
      System.out.printf("training baskets %-5s: %4d test baskets, with a repeat product %.4f%n", names[g], byTrain[g],
          (double) repeatByTrain[g] / Math.max(1, byTrain[g]));
    }
  }
}
