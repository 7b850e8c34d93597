package org.hedgerow.simulations;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.hedgerow.edge.eval.Evaluator;
import org.hedgerow.edge.eval.ExploreSlotsRanker;
import org.hedgerow.edge.eval.MetricSums;
import org.hedgerow.edge.eval.Metrics;
import org.hedgerow.edge.eval.NewProductScorer;
import org.hedgerow.edge.eval.NewProductScores;
import org.hedgerow.edge.eval.Ranker;
import org.hedgerow.edge.eval.RepeatRanker;
import org.hedgerow.edge.features.CustomerHistory;
import org.hedgerow.edge.features.ItemStats;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.Catalogue;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.Holdout;
import org.hedgerow.edge.task.SiloData;
import org.hedgerow.simulations.continual.ProductWords;
import org.hedgerow.simulations.partition.Partitioner;

/**
 * Developer tool, not a test: a calibrated merge of the {@code repeat} order (stand-in for the model's
 * repeats) with {@link NewProductScorer}'s new products. Each customer's top 10 is the best {@code a}
 * repeats (repeat order) followed by the scorer's best {@code 10 − a} new products, with {@code a}
 * chosen per customer to maximise Σ value(repeat) + λ Σ value(new), where a candidate's value is its
 * calibrated expected contribution to recall@10-repeat (resp. recall@10-explore): E[1{in target} / #repeat
 * targets] (resp. / #explore targets) in the candidate's bucket, divided by the share of baskets that
 * count in that metric. So λ is the price of explore recall in repeat recall: a new product replaces a
 * repeat when its expected explore gain × λ exceeds the repeat recall it costs.
 *
 * <p>Calibration is fitted on the {@code valid} split only (each customer's last training basket as
 * target, statistics from the rest; {@link ExploreSignalStudy#validationSplit}). On {@code valid} the
 * figures are cross-fitted (customers in five folds by id, each fold scored with the tables of the
 * other four); on {@code test} the tables of all of {@code valid} are used. Metrics come from {@link
 * Evaluator} itself (the merged top 10 handed to it as a ranker). Fixed slots s = 0..4 over the same
 * two orders are printed in the same run. Usage: {@code CalibratedMergeStudy HOME valid|test}.
 */
public final class CalibratedMergeStudy {
  static final int K = Evaluator.K;
  static final double[] LAMBDAS = {0, 0.5, 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75, 3, 3.5, 4, 5, 7, 10};
  /** Folds of the cross-fit on valid (customers by id modulo FOLDS). */
  static final int FOLDS = 5;
  /** Pseudo-count pulling a bucket's mean towards its parent's (and a parent's towards the global mean). */
  static final double SMOOTH = Double.parseDouble(System.getProperty("cal.smooth", "20"));
  /**
   * {@code coarse} (default: the better of the two on cross-fitted valid) or {@code full} buckets. Coarse: repeats by
   * rank × share of baskets, new products by rank × history size × score. Full adds, to both, the customer's basket
   * count and share of new products in past baskets, and to repeats the baskets since the product's last purchase.
   */
  static final boolean COARSE = System.getProperty("cal.features", "coarse").equals("coarse");
  /** Issue 10's budget: `federated`'s repeat recall 0.4934 − the floor 0.4618. */
  static final double BUDGET = 0.0316;

  public static void main(String[] args) {
    Path home = Path.of(args[0]);
    boolean test = args[1].equals("test");
    Scenario s = Scenario.bundledDefault();
    FederationData data = FederationData.load(home.resolve(s.data()), Partitioner.parse(s.partition(), s.ukShops(), s.seed()),
        Holdout.parse(s.holdout()), Catalogue.load(home.resolve(s.catalogue())));
    List<List<String>> words = ProductWords.load(home.resolve(s.data())).byIndex(data.catalogue());
    int size = data.catalogue().size();

    List<SiloData> validSilos = data.silos().stream().map(ExploreSignalStudy::validationSplit).toList();
    Split valid = Split.build("valid", validSilos, size, words);
    // Fit: per fold (for cross-fitted valid figures) and on all of valid (for test).
    Calibration[] folds = new Calibration[FOLDS];
    for (int f = 0; f < FOLDS; f++) {
      folds[f] = new Calibration();
    }
    Calibration all = new Calibration();
    for (Case c : valid.cases.values()) {
      for (int f = 0; f < FOLDS; f++) {
        if (c.fold != f) {
          folds[f].add(c); // the tables that score fold f: every other fold
        }
      }
      all.add(c);
    }
    // In-sample (optimistic, for comparison only): valid scored with the tables fitted on all of valid.
    boolean inSample = args.length > 2 && args[2].equals("insample");
    Calibration[] crossed = folds;
    if (inSample) {
      Arrays.fill(crossed, all);
    }
    System.out.printf("calibration: %s, smoothing %.0f, %s buckets%n", inSample ? "IN-SAMPLE on valid" : "cross-fitted on valid",
        SMOOTH, COARSE ? "coarse" : "full");
    Frontier fv = valid.run(c -> crossed[c.fold]);
    System.out.printf("chosen on valid: largest explore with repeat loss <= %.4f: lambda %s%n", BUDGET,
        fv.chosen(BUDGET));
    valid.reliability(c -> crossed[c.fold]);
    if (test) {
      Split t = Split.build("test", data.silos(), size, words);
      t.run(c -> all);
      t.reliability(c -> all);
    }
  }

  /** One customer's candidates, their bucket keys and their realised contributions to the two recalls. */
  static final class Case {
    int fold;
    int[] reps;
    String[] repParent;
    String[] repCell;
    double[] repY;
    int[] news;
    String[] newParent;
    String[] newCell;
    double[] newY;
    boolean repeatBasket;
    boolean exploreBasket;
  }

  /** Smoothed empirical means of a candidate's contribution, per bucket (cell) within a parent bucket. */
  static final class Table {
    final Map<String, double[]> cells = new HashMap<>();
    final Map<String, double[]> parents = new HashMap<>();
    double sum;
    double n;

    void add(String parent, String cell, double y) {
      double[] c = cells.computeIfAbsent(cell, k -> new double[2]);
      c[0] += y;
      c[1]++;
      double[] p = parents.computeIfAbsent(parent, k -> new double[2]);
      p[0] += y;
      p[1]++;
      sum += y;
      n++;
    }

    double value(String parent, String cell) {
      double g = n == 0 ? 0 : sum / n;
      double[] p = parents.getOrDefault(parent, new double[2]);
      double pm = (p[0] + SMOOTH * g) / (p[1] + SMOOTH);
      double[] c = cells.getOrDefault(cell, new double[2]);
      return (c[0] + SMOOTH * pm) / (c[1] + SMOOTH);
    }
  }

  /** Two tables and the shares of baskets counting in each recall (the metrics' denominators). */
  static final class Calibration {
    final Table repeat = new Table();
    final Table explore = new Table();
    long baskets;
    long repeatBaskets;
    long exploreBaskets;

    void add(Case c) {
      for (int r = 0; r < c.reps.length; r++) {
        repeat.add(c.repParent[r], c.repCell[r], c.repY[r]);
      }
      for (int r = 0; r < c.news.length; r++) {
        explore.add(c.newParent[r], c.newCell[r], c.newY[r]);
      }
      baskets++;
      repeatBaskets += c.repeatBasket ? 1 : 0;
      exploreBaskets += c.exploreBasket ? 1 : 0;
    }

    /** Expected gain in recall@10-repeat (times the basket count) of showing each repeat candidate. */
    double[] repeatValues(Case c) {
      double[] v = new double[c.reps.length];
      for (int r = 0; r < v.length; r++) {
        v[r] = repeat.value(c.repParent[r], c.repCell[r]) * baskets / Math.max(1, repeatBaskets);
      }
      return v;
    }

    double[] exploreValues(Case c) {
      double[] v = new double[c.news.length];
      for (int r = 0; r < v.length; r++) {
        v[r] = explore.value(c.newParent[r], c.newCell[r]) * baskets / Math.max(1, exploreBaskets);
      }
      return v;
    }
  }

  /** The repeats to show: a in [K − news, reps] maximising the values' sum (ties: more repeats). */
  static int repeatsShown(double[] vr, double[] vn, double lambda) {
    int lo = Math.max(0, K - vn.length);
    int best = vr.length;
    double bestTotal = Double.NEGATIVE_INFINITY;
    for (int a = vr.length; a >= lo; a--) {
      double t = 0;
      for (int r = 0; r < a; r++) {
        t += vr[r];
      }
      for (int r = 0; r < K - a; r++) {
        t += lambda * vn[r];
      }
      if (t > bestTotal + 1e-15) {
        bestTotal = t;
        best = a;
      }
    }
    return best;
  }

  /** A split's silos and per-customer cases (candidates of every customer with a target). */
  static final class Split {
    final String name;
    final List<SiloData> silos;
    final ItemStats pooled;
    final Map<Integer, Case> cases = new LinkedHashMap<>();

    Split(String name, List<SiloData> silos, int size) {
      this.name = name;
      this.silos = silos;
      this.pooled = ItemStats.of(silos, size);
    }

    static Split build(String name, List<SiloData> silos, int size, List<List<String>> words) {
      Split out = new Split(name, silos, size);
      RepeatRanker repeat = new RepeatRanker(out.pooled);
      int multi = 0;
      for (SiloData silo : silos) {
        NewProductScorer scorer = NewProductScorer.of(silo.customers(), size, words);
        for (CustomerLog c : silo.customers()) {
          if (c.test().isEmpty() || c.train().isEmpty()) {
            continue;
          }
          multi += c.test().size() > 1 ? 1 : 0;
          out.cases.put(c.customerId(), build(c, repeat, scorer));
        }
      }
      System.out.printf("%s: %d customers with a target (%d with more than one test basket: labels from the first)%n",
          name, out.cases.size(), multi);
      return out;
    }

    static Case build(CustomerLog c, RepeatRanker repeat, NewProductScorer scorer) {
      CustomerHistory h = new CustomerHistory();
      c.train().forEach(h::add);
      Basket target = c.test().get(0);
      Set<Integer> targetItems = new HashSet<>();
      for (int i : target.items()) {
        if (i >= 0) {
          targetItems.add(i);
        }
      }
      int repeatTargets = 0;
      for (int i : targetItems) {
        repeatTargets += h.contains(i) ? 1 : 0;
      }
      int exploreTargets = target.items().length - repeatTargets;
      Case out = new Case();
      out.fold = Math.floorMod(c.customerId(), FOLDS);
      out.repeatBasket = repeatTargets > 0;
      out.exploreBasket = exploreTargets > 0;
      int nb = h.basketCount();
      // Latest basket index holding each product.
      Map<Integer, Integer> lastAt = new HashMap<>();
      List<Basket> bl = h.basketList();
      for (int t = 0; t < bl.size(); t++) {
        for (int i : bl.get(t).items()) {
          if (i >= 0) {
            lastAt.put(i, t);
          }
        }
      }
      String customer = "|b" + bucket(nb, 1, 3, 7) + "|ns" + newShareBucket(h);
      // Repeats: the repeat ranker's order (baskets, then pooled buyers; ties lower index), its best K.
      int[] own = h.items();
      float[] rs = repeat.historyScores(h, own);
      Integer[] order = IntStream.range(0, own.length).boxed().toArray(Integer[]::new);
      Arrays.sort(order, (a, b) -> rs[a] != rs[b] ? Float.compare(rs[b], rs[a]) : Integer.compare(own[a], own[b]));
      int nr = Math.min(K, own.length);
      out.reps = new int[nr];
      out.repParent = new String[nr];
      out.repCell = new String[nr];
      out.repY = new double[nr];
      for (int r = 0; r < nr; r++) {
        int i = own[order[r]];
        out.reps[r] = i;
        int bi = h.baskets(i);
        double share = (double) bi / nb;
        int since = nb - 1 - lastAt.get(i);
        out.repParent[r] = "r" + r;
        out.repCell[r] = out.repParent[r] + "|sh" + (share <= 0.2 ? 0 : share <= 0.4 ? 1 : share <= 0.7 ? 2 : 3)
            + (COARSE ? "" : "|ago" + bucket(since, 0, 1, 4) + customer);
        out.repY[r] = targetItems.contains(i) ? 1.0 / repeatTargets : 0;
      }
      // New products: the scorer's best K.
      int[] best = scorer.best(h, K);
      float[] sc = NewProductScores.of(scorer, h);
      int hist = own.length;
      out.news = best;
      out.newParent = new String[best.length];
      out.newCell = new String[best.length];
      out.newY = new double[best.length];
      for (int r = 0; r < best.length; r++) {
        float v = sc[best[r]];
        out.newParent[r] = "r" + r + "|h" + bucket(hist, 10, 30, 80);
        out.newCell[r] = out.newParent[r] + "|sc" + Math.min(5, (int) (v / 0.5)) + (COARSE ? "" : customer);
        out.newY[r] = targetItems.contains(best[r]) ? 1.0 / exploreTargets : 0;
      }
      return out;
    }

    /** Prints the frontier of the calibrated merge and fixed slots; returns the calibrated points. */
    Frontier run(java.util.function.Function<Case, Calibration> fit) {
      Map<Integer, double[]> vr = new HashMap<>();
      Map<Integer, double[]> vn = new HashMap<>();
      cases.forEach((id, c) -> {
        vr.put(id, fit.apply(c).repeatValues(c));
        vn.put(id, fit.apply(c).exploreValues(c));
      });
      System.out.printf("%s policy                 repeat  explore   hr@10  recall@10 ndcg@10 newInTop  d.repeat d.explore rate%n",
          name);
      Frontier f = new Frontier();
      Metrics base = null;
      for (double lambda : LAMBDAS) {
        Map<Integer, int[]> lists = new HashMap<>();
        double shown = 0;
        for (Map.Entry<Integer, Case> e : cases.entrySet()) {
          Case c = e.getValue();
          int a = repeatsShown(vr.get(e.getKey()), vn.get(e.getKey()), lambda);
          lists.put(e.getKey(), top(c, a));
          shown += K - a;
        }
        Metrics m = evaluate(lists);
        base = base == null ? m : base;
        print("calibrated l=" + lambda, m, base, shown / cases.size());
        f.add(lambda, base.recall10Repeat() - m.recall10Repeat(), m.recall10Explore());
      }
      for (int slots = 0; slots <= 4; slots++) {
        Map<Integer, int[]> lists = new HashMap<>();
        double shown = 0;
        for (Map.Entry<Integer, Case> e : cases.entrySet()) {
          Case c = e.getValue();
          int a = Math.min(c.reps.length, K - slots);
          lists.put(e.getKey(), top(c, a));
          shown += K - a;
        }
        print("fixed s=" + slots, evaluate(lists), base, shown / cases.size());
      }
      f.print(name);
      return f;
    }

    /** Predicted against realised mean contribution per rank (fit as given), repeats and new products. */
    void reliability(java.util.function.Function<Case, Calibration> fit) {
      double[][] rep = new double[K][3];
      double[][] nw = new double[K][3];
      for (Case c : cases.values()) {
        Calibration cal = fit.apply(c);
        for (int r = 0; r < c.reps.length; r++) {
          rep[r][0] += cal.repeat.value(c.repParent[r], c.repCell[r]);
          rep[r][1] += c.repY[r];
          rep[r][2]++;
        }
        for (int r = 0; r < c.news.length; r++) {
          nw[r][0] += cal.explore.value(c.newParent[r], c.newCell[r]);
          nw[r][1] += c.newY[r];
          nw[r][2]++;
        }
      }
      System.out.printf("%s reliability per rank: predicted/realised mean contribution (x1000), repeats | new%n", name);
      for (int r = 0; r < K; r++) {
        System.out.printf("  rank %2d  %.2f/%.2f (%d) | %.3f/%.3f (%d)%n", r + 1, 1000 * rep[r][0] / rep[r][2],
            1000 * rep[r][1] / rep[r][2], (long) rep[r][2], 1000 * nw[r][0] / nw[r][2], 1000 * nw[r][1] / nw[r][2],
            (long) nw[r][2]);
      }
    }

    static int[] top(Case c, int repeats) {
      int[] out = new int[K];
      for (int r = 0; r < repeats; r++) {
        out[r] = c.reps[r];
      }
      for (int r = repeats; r < K; r++) {
        out[r] = c.news[r - repeats];
      }
      return out;
    }

    Metrics evaluate(Map<Integer, int[]> lists) {
      MetricSums sums = new MetricSums();
      for (SiloData silo : silos) {
        sums.add(Evaluator.evaluate(silo, new ListRanker(new RepeatRanker(pooled), lists)));
      }
      return sums.metrics();
    }

    static void print(String policy, Metrics m, Metrics base, double newShown) {
      double dr = base.recall10Repeat() - m.recall10Repeat();
      double de = m.recall10Explore() - base.recall10Explore();
      System.out.printf("  %-24s %.4f  %.4f  %.4f  %.4f  %.4f  %.2f     %.4f  %.4f  %s%n", policy, m.recall10Repeat(),
          m.recall10Explore(), m.hr10(), m.recall10(), m.ndcg10(), newShown, dr, de,
          dr > 1e-9 ? String.format("%.2f", de / dr) : "-");
    }
  }

  /** (λ, repeat loss, explore) points; explore at a given loss by linear interpolation. */
  static final class Frontier {
    final List<double[]> points = new ArrayList<>();

    void add(double lambda, double loss, double explore) {
      points.add(new double[] {lambda, loss, explore});
    }

    String chosen(double budget) {
      double[] best = null;
      for (double[] p : points) {
        if (p[1] <= budget && (best == null || p[2] > best[2])) {
          best = p;
        }
      }
      return best == null ? "none" : String.format("%s (loss %.4f, explore %.4f)", best[0], best[1], best[2]);
    }

    void print(String name) {
      List<double[]> sorted = new ArrayList<>(points);
      sorted.sort((a, b) -> Double.compare(a[1], b[1]));
      for (double loss : new double[] {0.01, 0.02, 0.0316, 0.04}) {
        String v = "beyond the sweep";
        for (int k = 1; k < sorted.size(); k++) {
          double[] a = sorted.get(k - 1);
          double[] b = sorted.get(k);
          if (a[1] <= loss && loss <= b[1] && b[1] > a[1]) {
            double w = (loss - a[1]) / (b[1] - a[1]);
            v = String.format("%.4f", a[2] + w * (b[2] - a[2]));
            break;
          }
        }
        System.out.printf("%s calibrated merge: explore at repeat loss %.4f (interpolated) = %s%n", name, loss, v);
      }
    }
  }

  /** Ranks each customer's given top K first (in list order), then the repeat ranker's order. */
  static final class ListRanker implements Ranker {
    private final RepeatRanker base;
    private final Map<Integer, int[]> lists;

    ListRanker(RepeatRanker base, Map<Integer, int[]> lists) {
      this.base = base;
      this.lists = lists;
    }

    @Override
    public float[] unseenScores() {
      return base.unseenScores();
    }

    private int[] list(CustomerHistory h) {
      if (h.basketCount() == 0) {
        return new int[0];
      }
      int[] l = lists.get(h.basketList().get(0).customerId());
      return l == null ? new int[0] : l;
    }

    @Override
    public int[] personalItems(CustomerHistory h) {
      return IntStream.concat(Arrays.stream(h.items()), Arrays.stream(list(h))).distinct().sorted().toArray();
    }

    @Override
    public float[] historyScores(CustomerHistory h, int[] items) {
      float[] out = base.historyScores(h, items);
      int[] l = list(h);
      for (int k = 0; k < items.length; k++) {
        for (int r = 0; r < l.length; r++) {
          if (l[r] == items[k]) {
            out[k] = 1e6f - r;
          }
        }
      }
      return out;
    }
  }

  static int bucket(int x, int a, int b, int c) {
    return x <= a ? 0 : x <= b ? 1 : x <= c ? 2 : 3;
  }

  static String newShareBucket(CustomerHistory h) {
    if (h.basketCount() < 2) {
      return "na";
    }
    double s = ExploreSlotsRanker.newShare(h);
    return s < 0.3 ? "0" : s < 0.6 ? "1" : "2";
  }
}
