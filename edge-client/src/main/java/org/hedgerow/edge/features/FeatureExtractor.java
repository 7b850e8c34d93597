package org.hedgerow.edge.features;

/**
 * Turns (customer history, candidate product) into the model's input vector. See
 * {@code docs/features.md} for the design and the reasons behind it.
 *
 * <p>The first {@link #ITEM_FEATURES} entries describe the product in the silo; the next
 * {@link #HISTORY_FEATURES} describe the customer's own history with it and are all exactly zero
 * when the customer never bought it; the last {@link #COPURCHASE_FEATURES} say what customers who
 * bought the same products bought ({@link CoPurchase}), and are set only for the customer's own
 * products and their few best new candidates ({@link #newCandidates}). So every other product gets
 * the same score for every customer of the silo, which lets evaluation rank the full catalogue
 * exactly at the cost of scoring the catalogue once per silo plus each customer's personal products.
 */
public final class FeatureExtractor {
  public static final int ITEM_FEATURES = 5;
  public static final int HISTORY_FEATURES = 12;
  /** Co-purchase features: set for the customer's own products and their new-product candidates only. */
  public static final int COPURCHASE_FEATURES = 3;
  public static final int FEATURES = ITEM_FEATURES + HISTORY_FEATURES + COPURCHASE_FEATURES;
  /** Names in vector order, for docs and debugging. */
  public static final String[] NAMES = {
      "item_popularity", "item_recent_popularity", "item_repeat_rate", "item_units_per_basket", "item_sold_here",
      "bought_before", "baskets_with_item", "share_of_baskets", "recency", "in_last_basket", "in_last_3_baskets",
      "units_bought", "customer_baskets", "baskets_since_last", "customer_basket_size", "customer_distinct_items",
      "decayed_frequency", "copurchase_history", "copurchase_latest", "copurchase_candidate"};
  /** Identifies this feature layout in a model spec; bump when the vector changes. */
  public static final String SCHEMA = "retail-v3:" + String.join(",", NAMES);

  private final ItemStats stats;
  private final CoPurchase coPurchase;
  /** The co-purchase profile of the history last written for, per thread (examples come in runs per history). */
  private final ThreadLocal<CachedProfile> lastProfile = new ThreadLocal<>();

  private record CachedProfile(CustomerHistory history, int baskets, CoPurchase.Profile profile) {}

  /** Features without co-purchase signals (all three are 0): e.g. under DP, where counts over other customers are not released. */
  public FeatureExtractor(ItemStats stats) {
    this(stats, null);
  }

  /**
   * @param coPurchase co-purchase counts over the same party's training data as {@code stats}, or
   *     null for none
   */
  public FeatureExtractor(ItemStats stats, CoPurchase coPurchase) {
    if (coPurchase != null && coPurchase.size() != stats.size()) {
      throw new IllegalArgumentException("co-purchase counts cover " + coPurchase.size() + " products, item statistics "
          + stats.size());
    }
    this.stats = stats;
    this.coPurchase = coPurchase;
  }

  public boolean hasCoPurchase() {
    return coPurchase != null;
  }

  /**
   * Products the customer never bought whose features are not those of {@link #writeUnseen}: their
   * best co-purchase candidates (ascending; empty without co-purchase counts).
   */
  public int[] newCandidates(CustomerHistory history) {
    return coPurchase == null || history == null ? new int[0] : profile(history).candidates().clone();
  }

  private CoPurchase.Profile profile(CustomerHistory history) {
    CachedProfile c = lastProfile.get();
    if (c == null || c.history() != history || c.baskets() != history.basketCount()) {
      c = new CachedProfile(history, history.basketCount(), coPurchase.profile(history));
      lastProfile.set(c);
    }
    return c.profile();
  }

  public ItemStats stats() {
    return stats;
  }

  /** Writes the features of {@code item} for a customer with {@code history} into {@code out[offset…]}. */
  public void write(CustomerHistory history, int item, float[] out, int offset) {
    writeItem(item, out, offset);
    CustomerHistory.ItemRecord r = history == null ? null : history.record(item);
    int h = offset + ITEM_FEATURES;
    writeCoPurchase(history, item, r != null, out, h + HISTORY_FEATURES);
    if (r == null) {
      java.util.Arrays.fill(out, h, h + HISTORY_FEATURES, 0f);
      return;
    }
    int n = history.basketCount();
    out[h] = 1f;
    out[h + 1] = (float) (Math.log1p(r.baskets) / 3.0);
    out[h + 2] = (float) r.baskets / n;
    out[h + 3] = (float) Math.exp(-history.daysSinceLastPurchase(r) / 60.0);
    out[h + 4] = r.lastBasket == n - 1 ? 1f : 0f;
    out[h + 5] = r.lastBasket >= n - 3 ? 1f : 0f;
    out[h + 6] = (float) (Math.log1p(r.quantity) / 6.0);
    out[h + 7] = (float) (Math.log1p(n) / 3.0);
    out[h + 8] = 1f / (n - r.lastBasket);
    out[h + 9] = (float) (Math.log1p((double) history.lineCount() / n) / 5.0);
    out[h + 10] = (float) (Math.log1p(history.distinctItems()) / 7.0);
    out[h + 11] = (float) history.decayedFrequency(r);
  }

  /** Co-purchase block: for own products and new candidates only, so that every other product stays unseen-like. */
  private void writeCoPurchase(CustomerHistory history, int item, boolean own, float[] out, int o) {
    out[o] = 0f;
    out[o + 1] = 0f;
    out[o + 2] = 0f;
    if (coPurchase == null || history == null) {
      return;
    }
    CoPurchase.Profile p = profile(history);
    boolean candidate = !own && p.isCandidate(item);
    if (!own && !candidate) {
      return;
    }
    int k = p.indexOf(item);
    if (k >= 0) {
      // Scaled so typical values sit in [0, 1]: P(i | j) averages are mostly below 0.3.
      out[o] = Math.min(1f, 3f * p.inHistory()[k]);
      out[o + 1] = Math.min(1f, 3f * p.inLatest()[k]);
    }
    out[o + 2] = candidate ? 1f : 0f;
  }

  /**
   * The {@code item_popularity} feature of every product, as the model sees it: from the exact counts,
   * or for privatised statistics from the noisy release alone.
   */
  public float[] itemPopularity() {
    float[] row = new float[ITEM_FEATURES];
    float[] out = new float[stats.size()];
    for (int i = 0; i < out.length; i++) {
      writeItem(i, row, 0);
      out[i] = row[0];
    }
    return out;
  }

  /** The features of {@code item} for a customer who never bought it. */
  public void writeUnseen(int item, float[] out, int offset) {
    write(null, item, out, offset);
  }

  private void writeItem(int item, float[] out, int o) {
    if (stats.released != null) { // DP statistics: the features were derived from the noisy release
      System.arraycopy(stats.released, item * ITEM_FEATURES, out, o, ITEM_FEATURES);
      return;
    }
    int c = stats.customers[item];
    out[o] = stats.logMaxCustomers == 0 ? 0f : (float) Math.log1p(c) / stats.logMaxCustomers;
    out[o + 1] = stats.logMaxRecent == 0 ? 0f : (float) Math.log1p(stats.recentBaskets[item]) / stats.logMaxRecent;
    // Shrunk towards 0 so a product bought once by one customer does not look like a staple.
    out[o + 2] = (float) stats.repeatCustomers[item] / (c + 1);
    out[o + 3] = stats.baskets[item] == 0 ? 0f : (float) (Math.log1p((double) stats.quantity[item] / stats.baskets[item]) / 5.0);
    out[o + 4] = c > 0 ? 1f : 0f;
  }
}
