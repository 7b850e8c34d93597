package org.hedgerow.edge.features;

import java.time.LocalDateTime;
import java.util.Collection;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.SiloData;

/**
 * Per-product statistics of the training baskets a party can see: its own silo's (federated and
 * local-only), or all silos' pooled (centralized, the non-private ceiling). Nothing here leaves the
 * silo; it only feeds the silo's own feature vectors.
 */
public final class ItemStats {
  /** Window for "recently popular", before the latest training basket this party holds. */
  static final int RECENT_DAYS = 30;

  final int[] customers;
  final int[] baskets;
  final int[] recentBaskets;
  final int[] repeatCustomers;
  final long[] quantity;
  final float logMaxCustomers;
  final float logMaxRecent;

  private ItemStats(int size) {
    customers = new int[size];
    baskets = new int[size];
    recentBaskets = new int[size];
    repeatCustomers = new int[size];
    quantity = new long[size];
    logMaxCustomers = 0;
    logMaxRecent = 0;
  }

  private ItemStats(ItemStats s, float logMaxCustomers, float logMaxRecent) {
    customers = s.customers;
    baskets = s.baskets;
    recentBaskets = s.recentBaskets;
    repeatCustomers = s.repeatCustomers;
    quantity = s.quantity;
    this.logMaxCustomers = logMaxCustomers;
    this.logMaxRecent = logMaxRecent;
  }

  /** Statistics over the training baskets of the given silos, for a catalogue of {@code size} items. */
  public static ItemStats of(Collection<SiloData> silos, int size) {
    ItemStats s = new ItemStats(size);
    LocalDateTime latest = LocalDateTime.MIN;
    for (SiloData silo : silos) {
      for (CustomerLog c : silo.customers()) {
        for (Basket b : c.train()) {
          if (b.time().isAfter(latest)) {
            latest = b.time();
          }
        }
      }
    }
    LocalDateTime recentFrom = latest.minusDays(RECENT_DAYS);
    int[] seenBy = new int[size];
    java.util.Arrays.fill(seenBy, -1);
    int[] timesByCustomer = new int[size];
    int customerOrdinal = 0;
    for (SiloData silo : silos) {
      for (CustomerLog c : silo.customers()) {
        for (Basket b : c.train()) {
          boolean recent = !b.time().isBefore(recentFrom);
          for (int k = 0; k < b.items().length; k++) {
            int i = b.items()[k];
            if (i < 0) {
              continue;
            }
            s.baskets[i]++;
            s.quantity[i] += b.quantities()[k];
            if (recent) {
              s.recentBaskets[i]++;
            }
            if (seenBy[i] != customerOrdinal) {
              seenBy[i] = customerOrdinal;
              timesByCustomer[i] = 0;
              s.customers[i]++;
            }
            if (++timesByCustomer[i] == 2) {
              s.repeatCustomers[i]++;
            }
          }
        }
        customerOrdinal++;
      }
    }
    int maxC = 0;
    int maxR = 0;
    for (int i = 0; i < size; i++) {
      maxC = Math.max(maxC, s.customers[i]);
      maxR = Math.max(maxR, s.recentBaskets[i]);
    }
    return new ItemStats(s, (float) Math.log1p(maxC), (float) Math.log1p(maxR));
  }

  public int size() {
    return customers.length;
  }

  /** Number of training baskets containing the item: the popularity used for sampling negatives. */
  public int baskets(int item) {
    return baskets[item];
  }

  /** Number of distinct customers who bought the item: the popularity baseline's score. */
  public int customers(int item) {
    return customers[item];
  }
}
