package org.hedgerow.edge.features;

/**
 * Turns (customer history, candidate product) into the model's input vector. See
 * {@code docs/features.md} for the design and the reasons behind it.
 *
 * <p>The first {@link #ITEM_FEATURES} entries describe the product in the silo; the remaining
 * {@link #HISTORY_FEATURES} describe the customer's own history with it and are all exactly zero
 * when the customer never bought it. So every product a customer never bought gets the same score
 * for every customer of the silo, which lets evaluation rank the full catalogue exactly at the cost
 * of scoring the catalogue once per silo plus each customer's own products.
 */
public final class FeatureExtractor {
  public static final int ITEM_FEATURES = 5;
  public static final int HISTORY_FEATURES = 11;
  public static final int FEATURES = ITEM_FEATURES + HISTORY_FEATURES;
  /** Names in vector order, for docs and debugging. */
  public static final String[] NAMES = {
      "item_popularity", "item_recent_popularity", "item_repeat_rate", "item_units_per_basket", "item_sold_here",
      "bought_before", "baskets_with_item", "share_of_baskets", "recency", "in_last_basket", "in_last_3_baskets",
      "units_bought", "customer_baskets", "baskets_since_last", "customer_basket_size", "customer_distinct_items"};
  /** Identifies this feature layout in a model spec; bump when the vector changes. */
  public static final String SCHEMA = "retail-v2:" + String.join(",", NAMES);

  private final ItemStats stats;

  public FeatureExtractor(ItemStats stats) {
    this.stats = stats;
  }

  public ItemStats stats() {
    return stats;
  }

  /** Writes the features of {@code item} for a customer with {@code history} into {@code out[offset…]}. */
  public void write(CustomerHistory history, int item, float[] out, int offset) {
    writeItem(item, out, offset);
    CustomerHistory.ItemRecord r = history == null ? null : history.record(item);
    int h = offset + ITEM_FEATURES;
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
