package org.hedgerow.edge.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;

/**
 * TIFU-KNN (Hu et al., SIGIR 2020), our own implementation. A customer is a time-decayed item
 * frequency vector: baskets (multi-hot) are split into groups of m counted back from the latest, a
 * basket i places before the end of its group weighs r_b^i and the group's mean is taken; a group j
 * places before the latest weighs r_g^j and the groups' mean is the user vector. The prediction
 * is alpha × the user's vector + (1 − alpha) × the mean vector of the k customers nearest to it
 * (Euclidean distance) in the same pool.
 *
 * <p>The pool is whoever the method may see: every silo's customers for {@code tifu-knn} (pooled,
 * like {@code centralized}), one silo's for {@code tifu-knn-local}.
 */
public final class TifuKnn {
  private TifuKnn() {}

  /** A customer's user vector: items ascending, their weights, and the squared L2 norm. */
  record UserVector(int customerId, int[] items, float[] values, double squaredNorm) {
    boolean isEmpty() {
      return items.length == 0;
    }
  }

  /** The customer's user vector over {@code baskets} (oldest first); {@code scratch} is catalogue-sized, all 0. */
  static UserVector userVector(int customerId, List<Basket> baskets, int m, double rb, double rg, double[] scratch) {
    int n = baskets.size();
    int groups = (n + m - 1) / m;
    List<Integer> touched = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      int back = groups - 1 - g; // groups between this one and the latest
      int end = n - back * m;
      int start = Math.max(0, end - m);
      double groupWeight = Math.pow(rg, back) / groups / (end - start);
      for (int b = start; b < end; b++) {
        double w = groupWeight * Math.pow(rb, end - 1 - b);
        for (int i : baskets.get(b).items()) {
          if (i < 0) {
            continue;
          }
          if (scratch[i] == 0) {
            touched.add(i);
          }
          scratch[i] += w;
        }
      }
    }
    int[] items = touched.stream().mapToInt(Integer::intValue).sorted().toArray();
    float[] values = new float[items.length];
    double norm = 0;
    for (int k = 0; k < items.length; k++) {
      values[k] = (float) scratch[items[k]];
      norm += (double) values[k] * values[k];
      scratch[items[k]] = 0;
    }
    return new UserVector(customerId, items, values, norm);
  }

  /** User vectors of a set of customers with an inverted index for nearest-neighbour queries. */
  static final class Pool {
    final List<UserVector> users;
    private final int[][] postingUsers;
    private final float[][] postingValues;

    Pool(List<UserVector> users, int catalogueSize) {
      this.users = users;
      int[] counts = new int[catalogueSize];
      for (UserVector u : users) {
        for (int i : u.items()) {
          counts[i]++;
        }
      }
      postingUsers = new int[catalogueSize][];
      postingValues = new float[catalogueSize][];
      for (int i = 0; i < catalogueSize; i++) {
        postingUsers[i] = new int[counts[i]];
        postingValues[i] = new float[counts[i]];
      }
      Arrays.fill(counts, 0);
      for (int u = 0; u < users.size(); u++) {
        UserVector v = users.get(u);
        for (int k = 0; k < v.items().length; k++) {
          int i = v.items()[k];
          postingUsers[i][counts[i]] = u;
          postingValues[i][counts[i]++] = v.values()[k];
        }
      }
    }

    /**
     * Indices of the (up to) {@code k} users nearest to {@code query}, nearest first, leaving out
     * the query's own customer; equal distances go to the lower index.
     */
    int[] nearest(UserVector query, int k) {
      int n = users.size();
      double[] dot = new double[n];
      for (int a = 0; a < query.items().length; a++) {
        int i = query.items()[a];
        float q = query.values()[a];
        int[] pu = postingUsers[i];
        float[] pv = postingValues[i];
        for (int p = 0; p < pu.length; p++) {
          dot[pu[p]] += q * pv[p];
        }
      }
      long[] keyed = new long[n];
      int m = 0;
      for (int u = 0; u < n; u++) {
        UserVector v = users.get(u);
        if (v.customerId() == query.customerId()) {
          continue;
        }
        float d = (float) Math.max(0, query.squaredNorm() + v.squaredNorm() - 2 * dot[u]);
        // Non-negative floats order like their bit patterns: sort distance and index in one long.
        keyed[m++] = ((long) Float.floatToIntBits(d) << 32) | u;
      }
      int take = Math.min(k, m);
      if (take < m) {
        selectSmallest(keyed, m, take); // only the nearest need sorting
      }
      Arrays.sort(keyed, 0, take);
      int[] out = new int[take];
      for (int j = 0; j < out.length; j++) {
        out[j] = (int) keyed[j];
      }
      return out;
    }
  }

  /** Rearranges {@code a[0..n)} so that its {@code k} smallest values come first, in any order (quickselect). */
  static void selectSmallest(long[] a, int n, int k) {
    int lo = 0;
    int hi = n - 1;
    while (lo < hi) {
      long pivot = a[(lo + hi) >>> 1];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          long t = a[i];
          a[i++] = a[j];
          a[j--] = t;
        }
      }
      // Now a[lo..j] <= pivot <= a[i..hi]; keep to the side that holds position k - 1.
      if (k - 1 <= j) {
        hi = j;
      } else if (k - 1 >= i) {
        lo = i;
      } else {
        return;
      }
    }
  }

  /** User vectors of every customer with at least one basket in {@code histories}. */
  static Pool pool(Map<Integer, List<Basket>> histories, int catalogueSize, int m, double rb, double rg) {
    double[] scratch = new double[catalogueSize];
    List<UserVector> users = new ArrayList<>();
    histories.forEach((id, baskets) -> {
      if (!baskets.isEmpty()) {
        users.add(userVector(id, baskets, m, rb, rg, scratch));
      }
    });
    return new Pool(users, catalogueSize);
  }

  /**
   * Personal scores of one customer: alpha × own vector + (1 − alpha) × neighbours' mean, over the
   * union of their supports. Items ascending; every score is > 0.
   */
  static Scores scores(UserVector own, Pool pool, int[] neighbours, double alpha, int catalogueSize) {
    double[] acc = new double[catalogueSize];
    boolean[] seen = new boolean[catalogueSize];
    List<Integer> touched = new ArrayList<>();
    if (alpha > 0) {
      for (int a = 0; a < own.items().length; a++) {
        int i = own.items()[a];
        acc[i] += alpha * own.values()[a];
        if (!seen[i]) {
          seen[i] = true;
          touched.add(i);
        }
      }
    }
    if (alpha < 1 && neighbours.length > 0) {
      double w = (1 - alpha) / neighbours.length;
      for (int u : neighbours) {
        UserVector v = pool.users.get(u);
        for (int a = 0; a < v.items().length; a++) {
          int i = v.items()[a];
          acc[i] += w * v.values()[a];
          if (!seen[i]) {
            seen[i] = true;
            touched.add(i);
          }
        }
      }
    }
    int[] items = touched.stream().mapToInt(Integer::intValue).filter(i -> acc[i] > 0).sorted().toArray();
    float[] values = new float[items.length];
    for (int k = 0; k < items.length; k++) {
      values[k] = (float) acc[items[k]];
    }
    return new Scores(items, values);
  }

  record Scores(int[] items, float[] values) {}

  /** The setting chosen on validation baskets and how it scored there. */
  public record Tuned(TifuKnnSettings settings, double validationNdcg10, double validationHr10, int validationBaskets,
      int settingsTried) {}

  /**
   * Chooses hyper-parameters on validation baskets taken from the training data only: each
   * customer's last training basket is the target, the baskets before it the history, and the pool
   * is everyone's history without their last basket. The setting with the highest mean ndcg@10
   * wins (ties: the earlier in {@code grid}).
   *
   * @param popularity tie-break among products with equal scores (higher first), e.g. buyers
   */
  public static Tuned tune(List<CustomerLog> customers, int catalogueSize, float[] popularity,
      List<TifuKnnSettings> grid) {
    if (grid.isEmpty()) {
      throw new IllegalArgumentException("TIFU-KNN needs at least one setting to tune over");
    }
    Map<Integer, List<Basket>> histories = new LinkedHashMap<>();
    Map<Integer, Basket> targets = new LinkedHashMap<>();
    for (CustomerLog c : customers) {
      List<Basket> train = c.train();
      if (train.size() >= 2) {
        histories.put(c.customerId(), train.subList(0, train.size() - 1));
        targets.put(c.customerId(), train.get(train.size() - 1));
      }
    }
    if (targets.isEmpty()) {
      return new Tuned(grid.get(0), Double.NaN, Double.NaN, 0, 0);
    }
    // Group the grid by user-vector setting: vectors and neighbour lists are shared by its k and alpha.
    Map<List<Double>, List<TifuKnnSettings>> byVector = new LinkedHashMap<>();
    for (TifuKnnSettings s : grid) {
      byVector.computeIfAbsent(List.of((double) s.groupSize(), s.withinDecay(), s.groupDecay()),
          x -> new ArrayList<>()).add(s);
    }
    Map<TifuKnnSettings, double[]> sums = new LinkedHashMap<>(); // ndcg, hits
    grid.forEach(s -> sums.put(s, new double[2]));
    // The user-vector groups are independent: score them on all cores. Each setting's sums are added by
    // one task in the same customer order, so the choice does not depend on the thread count.
    int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), byVector.size()));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "tifu-knn-tuning");
      t.setDaemon(true);
      return t;
    });
    try {
      List<java.util.concurrent.Future<?>> tasks = new ArrayList<>();
      for (List<TifuKnnSettings> group : byVector.values()) {
        tasks.add(pool.submit(() -> scoreGroup(group, histories, targets, catalogueSize, popularity, sums)));
      }
      for (java.util.concurrent.Future<?> t : tasks) {
        t.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("TIFU-KNN tuning interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("TIFU-KNN tuning failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    TifuKnnSettings best = grid.get(0);
    for (TifuKnnSettings s : grid) {
      if (sums.get(s)[0] > sums.get(best)[0]) {
        best = s;
      }
    }
    int n = targets.size();
    return new Tuned(best, sums.get(best)[0] / n, sums.get(best)[1] / n, n, grid.size());
  }

  /**
   * Of the products only neighbours bought ({@code candidates[from, to)}), those that can enter a top
   * {@link Evaluator#K} under any alpha: their score is w × neighbour sum with one w > 0 for all of them,
   * so a product with K others whose sums are larger by more than rounding (relative 1e-12 against
   * 1e-16) always has K products strictly above it. Keeps the K largest sums and all within that
   * margin of the K-th; offering only these instead of every product gives the same top K, as the
   * order of TopK is total. Written into {@code out}; returns how many.
   */
  static int neighbourOnlyShortlist(int[] candidates, int from, int to, double[] neighbourSum, int[] out) {
    int n = to - from;
    if (n <= Evaluator.K) {
      System.arraycopy(candidates, from, out, 0, n);
      return n;
    }
    double[] largest = new double[Evaluator.K]; // descending
    int held = 0;
    for (int c = from; c < to; c++) {
      double v = neighbourSum[candidates[c]];
      if (held == largest.length && v <= largest[held - 1]) {
        continue;
      }
      int p = held < largest.length ? held++ : held - 1;
      while (p > 0 && largest[p - 1] < v) {
        largest[p] = largest[p - 1];
        p--;
      }
      largest[p] = v;
    }
    double threshold = largest[Evaluator.K - 1] - Math.abs(largest[Evaluator.K - 1]) * 1e-12;
    int m = 0;
    for (int c = from; c < to; c++) {
      if (neighbourSum[candidates[c]] >= threshold) {
        out[m++] = candidates[c];
      }
    }
    return m;
  }

  /** Adds, for every setting of one user-vector group, its ndcg@10 and hit sums over the validation targets. */
  private static void scoreGroup(List<TifuKnnSettings> group, Map<Integer, List<Basket>> histories,
      Map<Integer, Basket> targets, int catalogueSize, float[] popularity, Map<TifuKnnSettings, double[]> sums) {
    TopK top = new TopK(popularity);
    double[] own = new double[catalogueSize];
    double[] neighbourSum = new double[catalogueSize];
    boolean[] candidate = new boolean[catalogueSize];
    int[] candidates = new int[catalogueSize];
    TifuKnnSettings first = group.get(0);
    Pool pool = pool(histories, catalogueSize, first.groupSize(), first.withinDecay(), first.groupDecay());
    List<TifuKnnSettings> byK = new ArrayList<>(group);
    byK.sort(java.util.Comparator.comparingInt(TifuKnnSettings::neighbours));
    int maxK = byK.get(byK.size() - 1).neighbours();
    // Sums kept by this task and handed over at the end: the shared map's small arrays sit side by side in
    // memory, and two tasks adding to neighbouring ones per customer made most of the tuning time (profiled).
    double[][] sumsByK = new double[byK.size()][2];
    int[] shortlist = new int[catalogueSize];
    for (UserVector user : pool.users) {
      int[] targetItems = targets.get(user.customerId()).items();
      int[] nearest = pool.nearest(user, maxK);
      int count = 0;
      for (int a = 0; a < user.items().length; a++) {
        int i = user.items()[a];
        own[i] = user.values()[a];
        candidate[i] = true;
        candidates[count++] = i;
      }
      int ownCount = count;
      int shortlisted = 0;
      int shortlistedFor = -1; // the neighbour count the shortlist was made for
      int added = 0;
      for (int j = 0; j < byK.size(); j++) {
        TifuKnnSettings s = byK.get(j);
        // Neighbour sums grow with k: add only the neighbours this k has beyond the previous one.
        for (; added < Math.min(s.neighbours(), nearest.length); added++) {
          UserVector v = pool.users.get(nearest[added]);
          for (int a = 0; a < v.items().length; a++) {
            int i = v.items()[a];
            neighbourSum[i] += v.values()[a];
            if (!candidate[i]) {
              candidate[i] = true;
              candidates[count++] = i;
            }
          }
        }
        if (shortlistedFor != added) {
          shortlisted = neighbourOnlyShortlist(candidates, ownCount, count, neighbourSum, shortlist);
          shortlistedFor = added;
        }
        top.clear();
        double neighbourWeight = added == 0 ? 0 : (1 - s.alpha()) / added;
        // The customer's own products, then the few neighbours' products that can still reach the top K.
        for (int c = 0; c < ownCount + shortlisted; c++) {
          int i = c < ownCount ? candidates[c] : shortlist[c - ownCount];
          double score = s.alpha() * own[i] + neighbourWeight * neighbourSum[i];
          if (score > 0) {
            top.offer(i, score);
          }
        }
        double[] r = top.ndcgAndHit(targetItems);
        sumsByK[j][0] += r[0];
        sumsByK[j][1] += r[1];
      }
      for (int c = 0; c < count; c++) {
        int i = candidates[c];
        own[i] = 0;
        neighbourSum[i] = 0;
        candidate[i] = false;
      }
    }
    for (int j = 0; j < byK.size(); j++) {
      // Each setting belongs to one group only, so this is its whole sum, in customer order as before.
      double[] shared = sums.get(byK.get(j));
      shared[0] += sumsByK[j][0];
      shared[1] += sumsByK[j][1];
    }
  }
}
