package org.hedgerow.edge.features;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import org.hedgerow.edge.task.Basket;

/**
 * What a customer's past baskets say about each product they bought, built one basket at a time
 * so that training examples at every cut-off cost one pass over the history.
 */
public final class CustomerHistory {
  /** Per product: baskets containing it, units bought, index of the latest basket with it, its time. */
  static final class ItemRecord {
    int baskets;
    long quantity;
    int lastBasket;
    LocalDateTime lastTime;
    /** Sum over baskets containing it of DECAY^(baskets after that one), as of basket lastBasket. */
    double decayed;
  }

  /** Per-basket decay of {@link #decayedFrequency}: a basket five places back counts about a third. */
  static final double DECAY = 0.8;

  private final Map<Integer, ItemRecord> items = new HashMap<>();
  private final java.util.List<Basket> baskets = new java.util.ArrayList<>();
  private int basketCount;
  private long lineCount;
  private LocalDateTime lastTime;

  public void add(Basket b) {
    for (int k = 0; k < b.items().length; k++) {
      int i = b.items()[k];
      if (i < 0) {
        continue;
      }
      ItemRecord r = items.computeIfAbsent(i, x -> new ItemRecord());
      r.decayed = r.baskets == 0 ? 1 : r.decayed * Math.pow(DECAY, basketCount - r.lastBasket) + 1;
      r.baskets++;
      r.quantity += b.quantities()[k];
      r.lastBasket = basketCount;
      r.lastTime = b.time();
      lineCount++;
    }
    basketCount++;
    lastTime = b.time();
    baskets.add(b);
  }

  /** The baskets added so far, oldest first (for rankers that weigh baskets by their age). */
  public java.util.List<Basket> basketList() {
    return java.util.Collections.unmodifiableList(baskets);
  }

  /** Distinct products summed over baskets (a basket's size counted once per basket). */
  public long lineCount() {
    return lineCount;
  }

  public int distinctItems() {
    return items.size();
  }

  public int basketCount() {
    return basketCount;
  }

  /** Products bought at least once, ascending. */
  public int[] items() {
    return items.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  public boolean contains(int item) {
    return items.containsKey(item);
  }

  /** Baskets containing the item (0 if never bought). */
  public int baskets(int item) {
    ItemRecord r = items.get(item);
    return r == null ? 0 : r.baskets;
  }

  ItemRecord record(int item) {
    return items.get(item);
  }

  /**
   * Time-decayed purchase frequency in [0, 1]: (1 − DECAY) × sum over the baskets containing the
   * item of DECAY^(baskets since then); 1 for an item in every one of a long history.
   */
  double decayedFrequency(ItemRecord r) {
    return (1 - DECAY) * r.decayed * Math.pow(DECAY, basketCount - 1 - r.lastBasket);
  }

  /** Days between the latest purchase of the item and the customer's latest basket. */
  double daysSinceLastPurchase(ItemRecord r) {
    return Duration.between(r.lastTime, lastTime).toMinutes() / (60.0 * 24.0);
  }
}
