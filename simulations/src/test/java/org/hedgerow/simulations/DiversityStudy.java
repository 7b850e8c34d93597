package org.hedgerow.simulations;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.Catalogue;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.Holdout;
import org.hedgerow.edge.task.SiloData;
import org.hedgerow.simulations.partition.Partitioner;

/**
 * Developer tool, not a test: does a diversified top 10 (greedy, penalising products the customer
 * always bought together with one already chosen) raise hr@10 over a plain re-purchase order?
 * Order: share of the customer's baskets, then recency. Only the customer's own products are
 * ranked; a top 10 with fewer counts as is (the same for every λ). Usage: {@code DiversityStudy HOME}.
 */
public final class DiversityStudy {
  public static void main(String[] args) {
    Path home = Path.of(args[0]);
    Scenario s = Scenario.bundledDefault();
    FederationData data = FederationData.load(home.resolve(s.data()), Partitioner.parse(s.partition(), s.ukShops(), s.seed()),
        Holdout.parse(s.holdout()), Catalogue.load(home.resolve(s.catalogue())));
    double[] lambdas = {0, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0};
    long[] hits = new long[lambdas.length];
    double[] recall = new double[lambdas.length];
    long n = 0;
    for (SiloData silo : data.silos()) {
      for (CustomerLog c : silo.customers()) {
        if (c.test().isEmpty() || c.train().isEmpty()) {
          continue;
        }
        n++;
        Map<Integer, Set<Integer>> basketsOf = new HashMap<>();
        List<Basket> train = c.train();
        for (int t = 0; t < train.size(); t++) {
          for (int i : train.get(t).items()) {
            if (i >= 0) {
              basketsOf.computeIfAbsent(i, x -> new HashSet<>()).add(t);
            }
          }
        }
        Map<Integer, Integer> last = new HashMap<>();
        basketsOf.forEach((i, bs) -> last.put(i, bs.stream().mapToInt(Integer::intValue).max().getAsInt()));
        List<Integer> order = new ArrayList<>(basketsOf.keySet());
        order.sort((a, b) -> basketsOf.get(a).size() != basketsOf.get(b).size()
            ? basketsOf.get(b).size() - basketsOf.get(a).size() : last.get(b) - last.get(a));
        Set<Integer> target = new HashSet<>();
        for (int i : c.test().get(0).items()) {
          if (i >= 0) {
            target.add(i);
          }
        }
        int nb = train.size();
        List<Integer> pool = order.subList(0, Math.min(40, order.size()));
        for (int l = 0; l < lambdas.length; l++) {
          List<Integer> chosen = new ArrayList<>();
          boolean[] used = new boolean[pool.size()];
          while (chosen.size() < Math.min(10, pool.size())) {
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < pool.size(); k++) {
              if (used[k]) {
                continue;
              }
              int i = pool.get(k);
              double base = (double) basketsOf.get(i).size() / nb + 1e-3 * last.get(i) / nb;
              double sim = 0;
              for (int j : chosen) {
                Set<Integer> a = basketsOf.get(i);
                Set<Integer> b = basketsOf.get(j);
                int inter = 0;
                for (int x : a) {
                  inter += b.contains(x) ? 1 : 0;
                }
                sim = Math.max(sim, (double) inter / (a.size() + b.size() - inter));
              }
              double score = base - lambdas[l] * sim;
              if (score > bestScore) {
                bestScore = score;
                best = k;
              }
            }
            used[best] = true;
            chosen.add(pool.get(best));
          }
          int h = 0;
          for (int i : chosen) {
            h += target.contains(i) ? 1 : 0;
          }
          hits[l] += h > 0 ? 1 : 0;
          recall[l] += (double) h / target.size();
        }
      }
    }
    for (int l = 0; l < lambdas.length; l++) {
      System.out.printf("lambda %.2f: hr@10 (own products only) %.4f, recall@10 %.4f%n", lambdas[l], (double) hits[l] / n,
          recall[l] / n);
    }
  }
}
