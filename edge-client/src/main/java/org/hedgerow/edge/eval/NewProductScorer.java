package org.hedgerow.edge.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hedgerow.edge.features.CustomerHistory;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;

/**
 * Orders the products a customer never bought, for the explore slots of {@link ExploreSlotsRanker}.
 * Three signals, each divided by its largest value over the customer's new products and summed with
 * equal weight (the mix and the weights chosen on a validation basket from training data only; study
 * and figures in docs/preferences.md):
 *
 * <ul>
 *   <li><b>co-purchase</b>: Σ over the customer's products j of the cosine (C(i, j) − 1) / √(n_i n_j),
 *       C the customers of the silo who bought both, n the buyers (each product keeps its {@link
 *       #NEIGHBOURS} best, C ≥ 2);
 *   <li><b>similar customers</b>: Σ over the silo's other customers v who bought i of the squared
 *       cosine between v's and the customer's product sets;
 *   <li><b>description</b>: the tf-idf cosine between the words of i's description and those of the
 *       customer's products (summed), times log(1 + buyers of i in the silo).
 * </ul>
 *
 * <p><b>Privacy.</b> All three read other customers' purchases in the silo (counts, sets, buyers), so
 * the order of {@link #of} is a function of the whole silo's data: it is for non-private ranking only
 * ({@code federated-explore}), never for a DP silo, whose guarantee covers only its accounted releases
 * (docs/privacy.md). A DP silo uses {@link #publicDescriptions} instead ({@code federated-dp-explore}):
 * the description term over public descriptions and its DP item release. Nothing here is trained or
 * sent; it changes no model update.
 */
public final class NewProductScorer {
  /** Related products kept per product. */
  static final int NEIGHBOURS = 200;

  private final int size;
  private final float[] buyers;
  private final int[][] relatedItems;
  private final float[][] relatedCosine;
  private final Map<Integer, int[]> itemsOf;
  private final int[][] buyersOf;
  private final int[][] itemWords;
  private final double[] idf;
  /** Per word, the products whose description has it; per product, log(1 + buyers) / its tf-idf norm. */
  private final int[][] itemsWithWord;
  private final double[] descriptionScale;

  private NewProductScorer(int size, float[] buyers, int[][] relatedItems, float[][] relatedCosine,
      Map<Integer, int[]> itemsOf, int[][] buyersOf, int[][] itemWords, double[] idf) {
    this(size, buyers, relatedItems, relatedCosine, itemsOf, buyersOf, itemWords, idf, logOnePlus(buyers));
  }

  private static double[] logOnePlus(float[] buyers) {
    double[] out = new double[buyers.length];
    for (int i = 0; i < buyers.length; i++) {
      out[i] = Math.log(1 + buyers[i]);
    }
    return out;
  }

  /**
   * @param buyers ties are broken by it (and, for the full scorer, it is the silo's buyer count)
   * @param popularity the factor of each product's description score: log(1 + silo buyers), or its
   *     DP counterpart
   */
  private NewProductScorer(int size, float[] buyers, int[][] relatedItems, float[][] relatedCosine,
      Map<Integer, int[]> itemsOf, int[][] buyersOf, int[][] itemWords, double[] idf, double[] popularity) {
    this.size = size;
    this.buyers = buyers;
    this.relatedItems = relatedItems;
    this.relatedCosine = relatedCosine;
    this.itemsOf = itemsOf;
    this.buyersOf = buyersOf;
    this.itemWords = itemWords;
    this.idf = idf;
    List<List<Integer>> with = new ArrayList<>();
    for (int w = 0; w < idf.length; w++) {
      with.add(new ArrayList<>());
    }
    descriptionScale = new double[size];
    for (int i = 0; i < size; i++) {
      double norm = 0;
      for (int w : itemWords[i]) {
        with.get(w).add(i);
        norm += idf[w] * idf[w];
      }
      descriptionScale[i] = norm == 0 ? 0 : popularity[i] / Math.sqrt(norm);
    }
    itemsWithWord = with.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
  }

  /**
   * Statistics over the training baskets of one silo's {@code customers}.
   *
   * @param words the description words of each catalogue index (public catalogue data); an empty list
   *     for a product without one, or an empty {@code words} for none at all
   */
  public static NewProductScorer of(Collection<CustomerLog> customers, int size, List<List<String>> words) {
    Map<Integer, int[]> itemsOf = new HashMap<>();
    float[] buyers = new float[size];
    List<List<Integer>> buyerLists = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      buyerLists.add(new ArrayList<>());
    }
    for (CustomerLog c : customers) {
      int[] s = c.train().stream().flatMapToInt(b -> Arrays.stream(b.items())).filter(i -> i >= 0).distinct()
          .sorted().toArray();
      if (s.length == 0) {
        continue;
      }
      itemsOf.put(c.customerId(), s);
      for (int a : s) {
        buyers[a]++;
        buyerLists.get(a).add(c.customerId());
      }
    }
    // C(i, j) for one j at a time, over j's buyers' products: a sparse pass, no size x size table.
    int[][] related = new int[size][];
    float[][] cosine = new float[size][];
    int[] together = new int[size];
    int[] touched = new int[size];
    long[] keyed = new long[size];
    for (int j = 0; j < size; j++) {
      int t = 0;
      for (int v : buyerLists.get(j)) {
        for (int i : itemsOf.get(v)) {
          if (together[i]++ == 0) {
            touched[t++] = i;
          }
        }
      }
      int m = 0;
      for (int k = 0; k < t; k++) {
        int i = touched[k];
        int c = together[i];
        if (i != j && c >= 2) {
          float cos = (float) ((c - 1) / Math.sqrt((double) buyers[i] * buyers[j]));
          // Highest cosine first (a positive float's bits sort as the float), then lower index.
          keyed[m++] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits(cos)) << 32) | i;
        }
      }
      Arrays.sort(keyed, 0, m);
      int n = Math.min(NEIGHBOURS, m);
      related[j] = new int[n];
      cosine[j] = new float[n];
      for (int k = 0; k < n; k++) {
        int i = (int) keyed[k];
        related[j][k] = i;
        cosine[j][k] = (float) ((together[i] - 1) / Math.sqrt((double) buyers[i] * buyers[j]));
      }
      for (int k = 0; k < t; k++) {
        together[touched[k]] = 0;
      }
    }
    int[][] buyersOf = new int[size][];
    for (int i = 0; i < size; i++) {
      buyersOf[i] = buyerLists.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    int[][] itemWords = wordIndices(size, words);
    return new NewProductScorer(size, buyers, related, cosine, itemsOf, buyersOf, itemWords, idf(size, itemWords));
  }

  /**
   * The description term alone, for a silo under user-level DP: a product the customer never bought
   * scores the tf-idf cosine between its description words and those of the customer's own products,
   * times {@code popularity[i]}, ties by {@code popularity}. Its inputs are the customer's own history,
   * the public catalogue's descriptions and {@code popularity} — which a DP silo takes from its
   * accounted item-statistics release ({@link org.hedgerow.edge.features.FeatureExtractor#itemPopularity}) —
   * so no other customer's purchases reach the order except through that release: post-processing,
   * no new ε (docs/privacy.md).
   *
   * @param popularity per catalogue index, ≥ 0 (e.g. the DP release's {@code item_popularity}, a
   *     monotone transform of log(1 + noisy buyers))
   * @param words description words per catalogue index, from the declared catalogue
   * @throws IllegalArgumentException if the lengths differ from {@code size} or a popularity is negative or not finite
   */
  public static NewProductScorer publicDescriptions(int size, float[] popularity, List<List<String>> words) {
    if (popularity.length != size || words.size() != size) {
      throw new IllegalArgumentException("popularity (" + popularity.length + ") and words (" + words.size()
          + ") must both cover the catalogue of " + size + " products");
    }
    double[] pop = new double[size];
    for (int i = 0; i < size; i++) {
      if (!(popularity[i] >= 0 && Float.isFinite(popularity[i]))) {
        throw new IllegalArgumentException("popularity of product " + i + " must be >= 0 and finite. Provided value: "
            + popularity[i]);
      }
      pop[i] = popularity[i];
    }
    int[][] none = new int[size][0];
    float[][] noCosine = new float[size][0];
    int[][] itemWords = wordIndices(size, words);
    return new NewProductScorer(size, popularity.clone(), none, noCosine, Map.of(), none, itemWords,
        idf(size, itemWords), pop);
  }

  private static int[][] wordIndices(int size, List<List<String>> words) {
    Map<String, Integer> wordIndex = new HashMap<>();
    int[][] itemWords = new int[size][];
    for (int i = 0; i < size; i++) {
      List<String> w = i < words.size() ? words.get(i) : List.of();
      itemWords[i] = w.stream().mapToInt(x -> wordIndex.computeIfAbsent(x, y -> wordIndex.size())).distinct().toArray();
    }
    return itemWords;
  }

  private static double[] idf(int size, int[][] itemWords) {
    int words = 0;
    for (int[] ws : itemWords) {
      for (int w : ws) {
        words = Math.max(words, w + 1);
      }
    }
    double[] idf = new double[words];
    for (int[] ws : itemWords) {
      for (int w : ws) {
        idf[w]++;
      }
    }
    for (int w = 0; w < idf.length; w++) {
      idf[w] = Math.log((double) size / idf[w]);
    }
    return idf;
  }

  /** Catalogue size. */
  public int size() {
    return size;
  }

  /** The customer's {@code n} best products they never bought, best first (ties: more buyers, then lower index). */
  public int[] best(CustomerHistory history, int n) {
    if (n <= 0) {
      return new int[0];
    }
    float[] score = scores(history);
    boolean[] bought = bought(history);
    int[] best = new int[n];
    float[] top = new float[n];
    Arrays.fill(best, -1);
    Arrays.fill(top, Float.NEGATIVE_INFINITY);
    for (int i = 0; i < size; i++) {
      float v = score[i];
      if (bought[i] || v <= top[n - 1]) {
        continue;
      }
      int k = n - 1;
      while (k > 0 && top[k - 1] < v) {
        top[k] = top[k - 1];
        best[k] = best[k - 1];
        k--;
      }
      top[k] = v;
      best[k] = i;
    }
    int found = 0;
    while (found < n && best[found] >= 0) {
      found++;
    }
    return found == n ? best : Arrays.copyOf(best, found);
  }

  private boolean[] bought(CustomerHistory history) {
    boolean[] out = new boolean[size];
    for (int i : history.items()) {
      out[i] = true;
    }
    return out;
  }

  /** The summed score of every product (those the customer bought included; callers skip them). */
  float[] scores(CustomerHistory history) {
    int[] own = history.items();
    boolean[] bought = bought(history);
    List<Basket> baskets = history.basketList();
    int self = baskets.isEmpty() ? Integer.MIN_VALUE : baskets.get(0).customerId();
    float[] cooc = new float[size];
    for (int j : own) {
      int[] it = relatedItems[j];
      float[] cs = relatedCosine[j];
      for (int k = 0; k < it.length; k++) {
        cooc[it[k]] += cs[k];
      }
    }
    Map<Integer, Integer> overlap = new HashMap<>();
    for (int j : own) {
      for (int v : buyersOf[j]) {
        if (v != self) {
          overlap.merge(v, 1, Integer::sum);
        }
      }
    }
    float[] similar = new float[size];
    for (Map.Entry<Integer, Integer> e : overlap.entrySet()) {
      int[] theirs = itemsOf.get(e.getKey());
      double cos = e.getValue() / Math.sqrt((double) theirs.length * own.length);
      float w = (float) (cos * cos);
      for (int i : theirs) {
        similar[i] += w;
      }
    }
    Map<Integer, Double> profile = new HashMap<>();
    for (int j : own) {
      for (int w : itemWords[j]) {
        profile.merge(w, idf[w], Double::sum);
      }
    }
    // Only products sharing a word with the profile get a description score: walk the words' lists.
    double[] dot = new double[size];
    for (Map.Entry<Integer, Double> e : profile.entrySet()) {
      double weight = e.getValue() * idf[e.getKey()];
      for (int i : itemsWithWord[e.getKey()]) {
        dot[i] += weight;
      }
    }
    float[] description = new float[size];
    for (int i = 0; i < size; i++) {
      description[i] = (float) (dot[i] * descriptionScale[i]);
    }
    float maxBuyers = 1;
    for (float b : buyers) {
      maxBuyers = Math.max(maxBuyers, b);
    }
    float mc = maxOverNew(cooc, bought);
    float ms = maxOverNew(similar, bought);
    float md = maxOverNew(description, bought);
    float[] out = new float[size];
    for (int i = 0; i < size; i++) {
      // The buyers term only breaks ties (e.g. a customer whose products relate to nothing).
      out[i] = cooc[i] / mc + similar[i] / ms + description[i] / md + 1e-4f * buyers[i] / maxBuyers;
    }
    return out;
  }

  private float maxOverNew(float[] x, boolean[] bought) {
    float m = 0;
    for (int i = 0; i < size; i++) {
      if (x[i] > m && !bought[i]) {
        m = x[i];
      }
    }
    return m > 0 ? m : 1;
  }
}
