package org.hedgerow.simulations;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.Catalogue;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.Holdout;
import org.hedgerow.edge.task.SiloData;
import org.hedgerow.simulations.continual.ProductWords;
import org.hedgerow.simulations.partition.Partitioner;

/**
 * Developer tool, not a test: which silo-local signals find a customer's next <em>new</em> products on
 * the default split. Every statistic is built inside one silo from the baskets the study may see.
 * Two modes: {@code valid} holds out each customer's last <em>training</em> basket (statistics from
 * the rest: what tuning may use), {@code test} the real test baskets (statistics from all training
 * baskets). Usage: {@code ExploreSignalStudy HOME valid|test}.
 *
 * <p>Prints, per signal, the explore recall when its best n new products are added (n = 1, 2, 3, 5,
 * 10), and for slot policies over a repeat ordering the pair (recall@10-repeat, recall@10-explore)
 * computed as {@code Evaluator} does (unknown target products count as explore misses).
 */
public final class ExploreSignalStudy {
  static final int[] NS = {1, 2, 3, 5, 10};
  static final double[] LAMBDAS = {0.05, 0.1, 0.2, 0.3, 0.5};
  static final double[] TAUS = {0.05, 0.1, 0.2, 0.34, 0.5, 1.01};

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    boolean valid = args[1].equals("valid");
    Scenario s = Scenario.bundledDefault();
    FederationData data = FederationData.load(home.resolve(s.data()), Partitioner.parse(s.partition(), s.ukShops(), s.seed()),
        Holdout.parse(s.holdout()), Catalogue.load(home.resolve(s.catalogue())));
    ProductWords words = ProductWords.load(home.resolve(s.data()));
    Catalogue cat = data.catalogue();
    int p = cat.size();
    List<SiloData> silos = new ArrayList<>();
    for (SiloData silo : data.silos()) {
      silos.add(valid ? validationSplit(silo) : silo);
    }
    LocalDateTime end = valid ? null : s.trainingEndTime();
    // Item descriptions as word-index sets (public catalogue data).
    Map<String, Integer> wordIndex = new HashMap<>();
    int[][] itemWords = new int[p][];
    for (int i = 0; i < p; i++) {
      itemWords[i] = words.of(cat.code(i)).stream().mapToInt(w -> wordIndex.computeIfAbsent(w, x -> wordIndex.size()))
          .toArray();
    }
    double[] idf = new double[wordIndex.size()];
    for (int[] ws : itemWords) {
      for (int w : ws) {
        idf[w]++;
      }
    }
    for (int w = 0; w < idf.length; w++) {
      idf[w] = Math.log((double) p / idf[w]);
    }
    String[] root = new String[p];
    for (int i = 0; i < p; i++) {
      String c = cat.code(i);
      int k = 0;
      while (k < c.length() && Character.isDigit(c.charAt(k))) {
        k++;
      }
      root[i] = k >= 4 ? c.substring(0, k) : c;
    }

    Map<String, double[]> sums = new LinkedHashMap<>();
    Map<String, double[]> policy = new LinkedHashMap<>();
    long[] counts = new long[3]; // baskets, explore baskets, repeat baskets
    double[] exploreTargetsPerBasket = new double[1];
    for (SiloData silo : silos) {
      SiloSignals sig = new SiloSignals(silo, p, end, itemWords, idf, root);
      for (CustomerLog c : silo.customers()) {
        if (c.test().isEmpty() || c.train().isEmpty()) {
          continue;
        }
        Basket target = c.test().get(0);
        Set<Integer> hist = new HashSet<>();
        for (Basket b : c.train()) {
          for (int i : b.items()) {
            if (i >= 0) {
              hist.add(i);
            }
          }
        }
        int size = target.items().length;
        Set<Integer> newTargets = new HashSet<>();
        int repeatTargets = 0;
        for (int i : target.items()) {
          if (i >= 0 && hist.contains(i)) {
            repeatTargets++;
          } else if (i >= 0) {
            newTargets.add(i);
          }
        }
        int exploreTargets = size - repeatTargets;
        counts[0]++;
        if (exploreTargets > 0) {
          counts[1]++;
          exploreTargetsPerBasket[0] += exploreTargets;
        }
        if (repeatTargets > 0) {
          counts[2]++;
        }
        Map<String, float[]> scores = sig.newScores(c.train(), hist);
        // Repeat ordering (the `repeat` baseline's: baskets with it, then pooled popularity).
        Integer[] reps = hist.toArray(new Integer[0]);
        Map<Integer, Integer> nb = new HashMap<>();
        for (Basket b : c.train()) {
          for (int i : b.items()) {
            if (i >= 0) {
              nb.merge(i, 1, Integer::sum);
            }
          }
        }
        Arrays.sort(reps, (a, b) -> {
          int d = Integer.compare(nb.get(b), nb.get(a));
          if (d != 0) {
            return d;
          }
          d = Integer.compare(data.pooledStats().customers(b), data.pooledStats().customers(a));
          return d != 0 ? d : Integer.compare(a, b);
        });
        for (Map.Entry<String, float[]> e : scores.entrySet()) {
          int[] best = topNew(e.getValue(), hist, 10);
          double[] acc = sums.computeIfAbsent(e.getKey(), k -> new double[NS.length]);
          if (exploreTargets > 0) {
            for (int n = 0; n < NS.length; n++) {
              int hits = 0;
              for (int r = 0; r < NS[n]; r++) {
                hits += newTargets.contains(best[r]) ? 1 : 0;
              }
              acc[n] += (double) hits / exploreTargets;
            }
          }
          // Mixed policy: one list by max(share of baskets for repeats, lambda * score / best new score).
          float bestScore = Math.max(1e-9f, e.getValue()[best[0]]);
          for (double lambda : LAMBDAS) {
            int ri = 0;
            int ni = 0;
            int rh = 0;
            int eh = 0;
            for (int slot = 0; slot < 10; slot++) {
              double rs = ri < reps.length ? (double) nb.get(reps[ri]) / c.train().size() : -1;
              double ns = ni < 10 ? lambda * e.getValue()[best[ni]] / bestScore : -1;
              if (rs >= ns) {
                rh += contains(target.items(), reps[ri++]) ? 1 : 0;
              } else {
                eh += newTargets.contains(best[ni++]) ? 1 : 0;
              }
            }
            double[] pa = policy.computeIfAbsent(e.getKey() + " mix l=" + lambda, k -> new double[4]);
            if (repeatTargets > 0) {
              pa[0] += (double) rh / repeatTargets;
            }
            if (exploreTargets > 0) {
              pa[1] += (double) eh / exploreTargets;
            }
            pa[2] += rh + eh > 0 ? 1 : 0;
            pa[3] += (double) (rh + eh) / size;
          }
          // Weak-repeat policy: a repeat in the top 10 bought in fewer than tau of the customer's baskets
          // (and at most once) gives its place to the best new product.
          for (double tau : TAUS) {
            int rh = 0;
            int eh = 0;
            int ni = 0;
            for (int slot = 0; slot < 10; slot++) {
              boolean weak = slot >= reps.length
                  || (nb.get(reps[slot]) < tau * c.train().size() && nb.get(reps[slot]) <= 1);
              if (weak) {
                eh += newTargets.contains(best[ni++]) ? 1 : 0;
              } else {
                rh += contains(target.items(), reps[slot]) ? 1 : 0;
              }
            }
            double[] pa = policy.computeIfAbsent(e.getKey() + " weak t=" + tau, k -> new double[4]);
            if (repeatTargets > 0) {
              pa[0] += (double) rh / repeatTargets;
            }
            if (exploreTargets > 0) {
              pa[1] += (double) eh / exploreTargets;
            }
            pa[2] += rh + eh > 0 ? 1 : 0;
            pa[3] += (double) (rh + eh) / size;
          }
          // Slot policies: s new slots (at least), the rest the best repeats; fewer repeats -> more new.
          for (int slots = 0; slots <= 4; slots++) {
            int repeatsShown = Math.min(reps.length, 10 - slots);
            int newShown = 10 - repeatsShown;
            int rh = 0;
            for (int r = 0; r < repeatsShown; r++) {
              rh += target.items().length > 0 && contains(target.items(), reps[r]) ? 1 : 0;
            }
            int eh = 0;
            for (int r = 0; r < newShown; r++) {
              eh += newTargets.contains(best[r]) ? 1 : 0;
            }
            double[] pa = policy.computeIfAbsent(e.getKey() + " s=" + slots, k -> new double[4]);
            if (repeatTargets > 0) {
              pa[0] += (double) rh / repeatTargets;
            }
            if (exploreTargets > 0) {
              pa[1] += (double) eh / exploreTargets;
            }
            pa[2] += rh + eh > 0 ? 1 : 0;
            pa[3] += (double) (rh + eh) / size;
          }
        }
      }
    }
    System.out.printf("mode %s: %d baskets, %d with new targets (mean %.2f new targets), %d with repeat targets%n",
        args[1], counts[0], counts[1], exploreTargetsPerBasket[0] / counts[1], counts[2]);
    System.out.println("explore recall of the best n new products, n = " + Arrays.toString(NS));
    sums.forEach((k, v) -> {
      StringBuilder b = new StringBuilder(String.format("  %-22s", k));
      for (double x : v) {
        b.append(String.format(" %.4f", x / counts[1]));
      }
      System.out.println(b);
    });
    System.out.println("slot policy over the repeat ordering: recall@10-repeat, recall@10-explore, hr@10, recall@10");
    policy.forEach((k, v) -> System.out.printf("  %-28s %.4f %.4f %.4f %.4f%n", k, v[0] / counts[2], v[1] / counts[1],
        v[2] / counts[0], v[3] / counts[0]));
  }

  static boolean contains(int[] sortedItems, int i) {
    return Arrays.binarySearch(sortedItems, i) >= 0;
  }

  /** The n best products not in {@code hist}, by score (ties: lower index). */
  static int[] topNew(float[] score, Set<Integer> hist, int n) {
    int[] best = new int[n];
    float[] bs = new float[n];
    Arrays.fill(best, -1);
    Arrays.fill(bs, Float.NEGATIVE_INFINITY);
    for (int i = 0; i < score.length; i++) {
      float v = score[i];
      if (v <= bs[n - 1] || hist.contains(i)) {
        continue;
      }
      int k = n - 1;
      while (k > 0 && bs[k - 1] < v) {
        bs[k] = bs[k - 1];
        best[k] = best[k - 1];
        k--;
      }
      bs[k] = v;
      best[k] = i;
    }
    return best;
  }

  /** Each customer's last training basket becomes their target; statistics see only the baskets before it. */
  static SiloData validationSplit(SiloData silo) {
    List<CustomerLog> out = new ArrayList<>();
    for (CustomerLog c : silo.customers()) {
      List<Basket> t = c.train();
      if (t.size() >= 2) {
        out.add(new CustomerLog(c.customerId(), t.subList(0, t.size() - 1), List.of(t.get(t.size() - 1))));
      } else {
        out.add(new CustomerLog(c.customerId(), t, List.of()));
      }
    }
    return new SiloData(silo.name(), out);
  }

  /** Silo-local statistics over the training baskets. */
  static final class SiloSignals {
    final int p;
    final float[] buyers;
    final float[] recent;
    final int[] together; // customers who bought both
    final float[] trans; // customers' first purchases of i in the basket after one holding j
    final float[] transFrom;
    final int[][] itemWords;
    final double[] idf;
    final String[] root;
    final Map<Integer, int[]> itemsOf = new HashMap<>();
    final List<List<Integer>> buyersOf = new ArrayList<>();

    SiloSignals(SiloData silo, int p, LocalDateTime end, int[][] itemWords, double[] idf, String[] root) {
      this.p = p;
      this.itemWords = itemWords;
      this.idf = idf;
      this.root = root;
      buyers = new float[p];
      recent = new float[p];
      together = new int[p * p];
      trans = new float[p * p];
      transFrom = new float[p];
      for (int i = 0; i < p; i++) {
        buyersOf.add(new ArrayList<>());
      }
      LocalDateTime last = end;
      if (last == null) {
        for (CustomerLog c : silo.customers()) {
          for (Basket b : c.train()) {
            last = last == null || b.time().isAfter(last) ? b.time() : last;
          }
        }
      }
      LocalDateTime recentFrom = last == null ? LocalDateTime.MIN : last.minusDays(60);
      for (CustomerLog c : silo.customers()) {
        Set<Integer> seen = new HashSet<>();
        Set<Integer> rec = new HashSet<>();
        int[] prev = null;
        for (Basket b : c.train()) {
          List<Integer> fresh = new ArrayList<>();
          for (int i : b.items()) {
            if (i >= 0 && !seen.contains(i)) {
              fresh.add(i);
            }
          }
          if (prev != null) {
            for (int j : prev) {
              transFrom[j]++;
              for (int i : fresh) {
                trans[j * p + i]++;
              }
            }
          }
          for (int i : b.items()) {
            if (i >= 0) {
              seen.add(i);
              if (!b.time().isBefore(recentFrom)) {
                rec.add(i);
              }
            }
          }
          prev = Arrays.stream(b.items()).filter(i -> i >= 0).toArray();
        }
        int[] s = seen.stream().mapToInt(Integer::intValue).sorted().toArray();
        itemsOf.put(c.customerId(), s);
        for (int a : s) {
          buyers[a]++;
          buyersOf.get(a).add(c.customerId());
          for (int b : s) {
            together[a * p + b]++;
          }
        }
        for (int a : rec) {
          recent[a]++;
        }
      }
    }

    Map<String, float[]> newScores(List<Basket> train, Set<Integer> hist) {
      Map<String, float[]> out = new LinkedHashMap<>();
      float[] pop = new float[p];
      float[] rec = new float[p];
      for (int i = 0; i < p; i++) {
        pop[i] = buyers[i] + i * -1e-7f; // ties: lower index first
        rec[i] = recent[i] + 1e-3f * buyers[i];
      }
      out.put("popularity", pop);
      out.put("recent-popularity", rec);
      int[] last = Arrays.stream(train.get(train.size() - 1).items()).filter(i -> i >= 0).toArray();
      int[] all = hist.stream().mapToInt(Integer::intValue).toArray();
      out.put("cooc-history", cooc(all, pop, false));
      out.put("cooc-history-cos", cooc(all, pop, true));
      out.put("cooc-last", cooc(last, pop, false));
      float[] tr = new float[p];
      for (int j : last) {
        if (transFrom[j] == 0) {
          continue;
        }
        for (int i = 0; i < p; i++) {
          tr[i] += trans[j * p + i] / transFrom[j];
        }
      }
      out.put("transition-last", tieBreak(tr, pop));
      float[] trAll = new float[p];
      for (int j : all) {
        if (transFrom[j] == 0) {
          continue;
        }
        for (int i = 0; i < p; i++) {
          trAll[i] += trans[j * p + i] / transFrom[j];
        }
      }
      out.put("transition-history", tieBreak(trAll, pop));
      // Description words: tf-idf profile of the history, cosine with each product.
      Map<Integer, Double> profile = new HashMap<>();
      for (int j : all) {
        for (int w : itemWords[j]) {
          profile.merge(w, idf[w], Double::sum);
        }
      }
      float[] desc = new float[p];
      for (int i = 0; i < p; i++) {
        double dot = 0;
        double norm = 0;
        for (int w : itemWords[i]) {
          dot += profile.getOrDefault(w, 0.0) * idf[w];
          norm += idf[w] * idf[w];
        }
        desc[i] = norm == 0 ? 0 : (float) (dot / Math.sqrt(norm));
      }
      out.put("description", tieBreak(desc, pop));
      float[] descPop = new float[p];
      for (int i = 0; i < p; i++) {
        descPop[i] = desc[i] * (float) Math.log(1 + buyers[i]);
      }
      out.put("description*logpop", tieBreak(descPop, pop));
      Set<String> roots = new HashSet<>();
      for (int j : all) {
        roots.add(root[j]);
      }
      float[] variant = new float[p];
      for (int i = 0; i < p; i++) {
        variant[i] = roots.contains(root[i]) ? 1 : 0;
      }
      out.put("code-variant", tieBreak(variant, pop));
      // User kNN: customers sharing products, weighted by cosine; sum of weights of those who bought i.
      Map<Integer, Float> overlap = new HashMap<>();
      for (int j : all) {
        for (int u : buyersOf.get(j)) {
          overlap.merge(u, 1f, Float::sum);
        }
      }
      float[] knn = new float[p];
      for (Map.Entry<Integer, Float> e : overlap.entrySet()) {
        int[] theirs = itemsOf.get(e.getKey());
        if (theirs.length == 0 || e.getValue() >= theirs.length && theirs.length == all.length) {
          continue; // the customer themself (same set)
        }
        float w = (float) (e.getValue() / Math.sqrt((double) theirs.length * all.length));
        w = w * w;
        for (int i : theirs) {
          knn[i] += w;
        }
      }
      out.put("user-knn", tieBreak(knn, pop));
      float[] mix = new float[p];
      float[] cooc = out.get("cooc-history");
      float maxC = 1e-9f;
      float maxR = 1e-9f;
      float maxK = 1e-9f;
      for (int i = 0; i < p; i++) {
        if (!hist.contains(i)) {
          maxC = Math.max(maxC, cooc[i]);
          maxR = Math.max(maxR, rec[i]);
          maxK = Math.max(maxK, knn[i]);
        }
      }
      for (int i = 0; i < p; i++) {
        mix[i] = cooc[i] / maxC + rec[i] / maxR + knn[i] / maxK;
      }
      out.put("mix cooc+recent+knn", mix);
      out.put("fused cos+desc+knn", fuse(hist, out.get("cooc-history-cos"), out.get("description*logpop"), knn));
      return out;
    }

    /** Sum of the three scores, each divided by its maximum over the customer's new products. */
    float[] fuse(Set<Integer> hist, float[]... xs) {
      float[] out = new float[p];
      for (float[] x : xs) {
        float m = 1e-9f;
        for (int i = 0; i < p; i++) {
          if (!hist.contains(i)) {
            m = Math.max(m, x[i]);
          }
        }
        for (int i = 0; i < p; i++) {
          out[i] += x[i] / m;
        }
      }
      return out;
    }

    /** Sum over j of P(i | j) (or the cosine), counts from all the silo's customers (the customer's own included). */
    float[] cooc(int[] from, float[] pop, boolean cosine) {
      float[] out = new float[p];
      for (int j : from) {
        if (buyers[j] < 2) {
          continue;
        }
        for (int i = 0; i < p; i++) {
          int c = together[j * p + i];
          if (c > 1) {
            out[i] += cosine ? (float) ((c - 1) / Math.sqrt(buyers[i] * buyers[j])) : (c - 1) / (buyers[j] - 1);
          }
        }
      }
      return tieBreak(out, pop);
    }

    static float[] tieBreak(float[] x, float[] pop) {
      float max = 1;
      for (float v : pop) {
        max = Math.max(max, v);
      }
      float[] out = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        out[i] = x[i] + 1e-4f * pop[i] / max;
      }
      return out;
    }
  }
}
