package org.hedgerow.edge.features;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;

/**
 * Which products are bought by the same customers, within one party's training data (a silo's own,
 * or all silos' pooled for {@code centralized}); nothing here leaves the silo. For each product j it
 * keeps its {@link #NEIGHBOURS} most related products i (bought together by at least {@link
 * #MIN_TOGETHER} customers, ranked by (C(i, j) − 1) / √(n_i n_j)) with the number of customers who
 * bought both, C(i, j), and the number who bought j, n_j.
 *
 * <p>A customer's profile scores products by P(i | j) = C(i, j) / n_j averaged over the products j
 * of their history, and of their latest basket. Counts <em>leave the customer out</em>: their own
 * purchases are subtracted (they are known from the data the counts were built on), so a training
 * example never sees its own target through another product's counts, and the score of a product
 * for a customer is what the other customers say.
 */
public final class CoPurchase {
  /** Related products kept per product. */
  public static final int NEIGHBOURS = 100;
  /** New products per customer that get a personal score (the best by co-purchase). */
  public static final int CANDIDATES = 50;
  /** Customers who must have bought both products for them to count as related. */
  static final int MIN_TOGETHER = 3;

  private final int size;
  private final int[] buyers;
  private final int[][] relatedItems;
  private final int[][] relatedCounts;
  private final Map<Integer, int[]> itemsOfCustomer;

  private CoPurchase(int size, int[] buyers, int[][] relatedItems, int[][] relatedCounts,
      Map<Integer, int[]> itemsOfCustomer) {
    this.size = size;
    this.buyers = buyers;
    this.relatedItems = relatedItems;
    this.relatedCounts = relatedCounts;
    this.itemsOfCustomer = itemsOfCustomer;
  }

  /** Counts over the training baskets of {@code customers}, for a catalogue of {@code size} products. */
  public static CoPurchase of(Collection<CustomerLog> customers, int size) {
    Map<Integer, int[]> itemsOf = new HashMap<>();
    int[] buyers = new int[size];
    int[] together = new int[size * size]; // transient: only the related lists are kept
    for (CustomerLog c : customers) {
      int[] s = distinctItems(c.train());
      if (s.length == 0) {
        continue;
      }
      itemsOf.put(c.customerId(), s);
      for (int a : s) {
        buyers[a]++;
        int row = a * size;
        for (int b : s) {
          together[row + b]++;
        }
      }
    }
    int[][] items = new int[size][];
    int[][] counts = new int[size][];
    long[] keyed = new long[size];
    for (int j = 0; j < size; j++) {
      int m = 0;
      int row = j * size;
      for (int i = 0; i < size; i++) {
        int c = together[row + i];
        if (i == j || c < MIN_TOGETHER) {
          continue;
        }
        // One customer fewer in the count: a pair that one customer makes is not chosen because of
        // them, so a customer's own later purchases do not pick their candidates (the values are
        // left-out exactly; this keeps the choice of lists nearly independent of any one customer).
        float cosine = (float) ((c - 1) / Math.sqrt((double) buyers[i] * buyers[j]));
        // Highest cosine first (negated bits of a positive float sort ascending), then lower index.
        keyed[m++] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits(cosine)) << 32) | i;
      }
      Arrays.sort(keyed, 0, m);
      int n = Math.min(NEIGHBOURS, m);
      int[] it = new int[n];
      for (int k = 0; k < n; k++) {
        it[k] = (int) keyed[k];
      }
      Arrays.sort(it);
      int[] ct = new int[n];
      for (int k = 0; k < n; k++) {
        ct[k] = together[row + it[k]];
      }
      items[j] = it;
      counts[j] = ct;
    }
    return new CoPurchase(size, buyers, items, counts, itemsOf);
  }

  private static int[] distinctItems(List<Basket> baskets) {
    return baskets.stream().flatMapToInt(b -> Arrays.stream(b.items())).filter(i -> i >= 0).distinct().sorted()
        .toArray();
  }

  public int size() {
    return size;
  }

  /**
   * The customer's co-purchase scores: every product related to one they bought, with the mean
   * P(i | j) over their history and over their latest basket, counts leaving them out.
   */
  Profile profile(CustomerHistory history) {
    List<Basket> baskets = history.basketList();
    int[] own = baskets.isEmpty() ? new int[0]
        : itemsOfCustomer.getOrDefault(baskets.get(0).customerId(), new int[0]);
    int[] bought = history.items();
    Map<Integer, float[]> acc = new HashMap<>();
    int usedHistory = accumulate(bought, own, acc, 0);
    int[] latest = baskets.isEmpty() ? new int[0]
        : Arrays.stream(baskets.get(baskets.size() - 1).items()).filter(i -> i >= 0).distinct().toArray();
    int usedLatest = accumulate(latest, own, acc, 1);
    int[] items = acc.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    float[] inHistory = new float[items.length];
    float[] inLatest = new float[items.length];
    for (int k = 0; k < items.length; k++) {
      float[] v = acc.get(items[k]);
      inHistory[k] = usedHistory == 0 ? 0 : v[0] / usedHistory;
      inLatest[k] = usedLatest == 0 ? 0 : v[1] / usedLatest;
    }
    return new Profile(items, inHistory, inLatest, candidates(items, inHistory, inLatest, history));
  }

  /** Adds P(i | j), leaving the customer ({@code own}, sorted) out, for each j of {@code from}; returns the j used. */
  private int accumulate(int[] from, int[] own, Map<Integer, float[]> acc, int slot) {
    int used = 0;
    for (int j : from) {
      boolean jOwn = Arrays.binarySearch(own, j) >= 0;
      int others = buyers[j] - (jOwn ? 1 : 0);
      if (others <= 0) {
        continue; // nobody else bought j: it says nothing
      }
      used++;
      int[] it = relatedItems[j];
      int[] ct = relatedCounts[j];
      for (int k = 0; k < it.length; k++) {
        int c = ct[k] - (jOwn && Arrays.binarySearch(own, it[k]) >= 0 ? 1 : 0);
        if (c > 0) {
          acc.computeIfAbsent(it[k], x -> new float[2])[slot] += (float) c / others;
        }
      }
    }
    return used;
  }

  /** The {@link #CANDIDATES} best products the customer never bought, by both scores summed; ascending. */
  private static int[] candidates(int[] items, float[] inHistory, float[] inLatest, CustomerHistory history) {
    Integer[] order = new Integer[items.length];
    int m = 0;
    for (int k = 0; k < items.length; k++) {
      if (!history.contains(items[k]) && inHistory[k] + inLatest[k] > 0) {
        order[m++] = k;
      }
    }
    Arrays.sort(order, 0, m, (a, b) -> {
      int c = Float.compare(inHistory[b] + inLatest[b], inHistory[a] + inLatest[a]);
      return c != 0 ? c : Integer.compare(items[a], items[b]);
    });
    int n = Math.min(CANDIDATES, m);
    int[] out = new int[n];
    for (int k = 0; k < n; k++) {
      out[k] = items[order[k]];
    }
    Arrays.sort(out);
    return out;
  }

  /** One customer's co-purchase scores (items ascending) and their new-product candidates. */
  record Profile(int[] items, float[] inHistory, float[] inLatest, int[] candidates) {
    boolean isCandidate(int item) {
      return Arrays.binarySearch(candidates, item) >= 0;
    }

    int indexOf(int item) {
      return Arrays.binarySearch(items, item);
    }
  }
}
