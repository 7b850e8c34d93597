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
    // Rank (1-based) of the best repeat target in the customer's own products ordered as `repeat` does
    // (baskets containing it, then the latest purchase), for baskets with a repeat target.
    int[] bestRankBuckets = new int[6]; // 1-10, 11-20, 21-30, 31-50, 51-100, >100
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
        if (repeat) {
          java.util.Map<Integer, int[]> counts = new java.util.HashMap<>(); // item -> {baskets, last}
          for (int t = 0; t < c.train().size(); t++) {
            for (int i : new HashSet<>(java.util.Arrays.stream(c.train().get(t).items()).boxed().toList())) {
              if (i >= 0) {
                int[] v = counts.computeIfAbsent(i, x -> new int[2]);
                v[0]++;
                v[1] = t;
              }
            }
          }
          java.util.List<Integer> order = new java.util.ArrayList<>(counts.keySet());
          order.sort((a, b) -> counts.get(a)[0] != counts.get(b)[0] ? counts.get(b)[0] - counts.get(a)[0]
              : counts.get(b)[1] - counts.get(a)[1]);
          Set<Integer> target = new HashSet<>();
          for (int i : c.test().get(0).items()) {
            target.add(i);
          }
          int best = 0;
          while (!target.contains(order.get(best))) {
            best++;
          }
          int rank = best + 1;
          bestRankBuckets[rank <= 10 ? 0 : rank <= 20 ? 1 : rank <= 30 ? 2 : rank <= 50 ? 3 : rank <= 100 ? 4 : 5]++;
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
    String[] ranks = {"1-10", "11-20", "21-30", "31-50", "51-100", ">100"};
    for (int k = 0; k < ranks.length; k++) {
      System.out.printf("best repeat target at rank %-6s of the customer's own products (repeat order): %4d baskets%n",
          ranks[k], bestRankBuckets[k]);
    }
    String[] names = {"1", "2-3", "4-10", "11-30", ">30"};
    for (int g = 0; g < 5; g++) {
      System.out.printf("training baskets %-5s: %4d test baskets, with a repeat product %.4f%n", names[g], byTrain[g],
          (double) repeatByTrain[g] / Math.max(1, byTrain[g]));
    }
  }
}
