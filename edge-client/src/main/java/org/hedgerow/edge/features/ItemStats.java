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
  /**
   * Set only for {@link #privatised} statistics: the five item features of every item
   * ({@code size × ITEM_FEATURES}, row-major), derived from the noisy release alone. The exact
   * arrays above are then null, so nothing downstream can read un-noised counts by mistake.
   */
  final float[] released;
  private final int size;

  private ItemStats(int size) {
    this.size = size;
    released = null;
    customers = new int[size];
    baskets = new int[size];
    recentBaskets = new int[size];
    repeatCustomers = new int[size];
    quantity = new long[size];
    logMaxCustomers = 0;
    logMaxRecent = 0;
  }

  private ItemStats(int size, float[] released) {
    this.size = size;
    this.released = released;
    customers = null;
    baskets = null;
    recentBaskets = null;
    repeatCustomers = null;
    quantity = null;
    logMaxCustomers = 0;
    logMaxRecent = 0;
  }

  private ItemStats(ItemStats s, float logMaxCustomers, float logMaxRecent) {
    size = s.size;
    released = null;
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
    return size;
  }

  /** Whether these are DP statistics ({@link #privatised}): only the item features are available. */
  public boolean isPrivatised() {
    return released != null;
  }

  /** Number of training baskets containing the item: the popularity used for sampling negatives. */
  public int baskets(int item) {
    exactOnly("baskets");
    return baskets[item];
  }

  /** Number of distinct customers who bought the item: the popularity baseline's score. */
  public int customers(int item) {
    exactOnly("customers");
    return customers[item];
  }

  private void exactOnly(String what) {
    if (released != null) {
      throw new IllegalStateException("privatised item statistics release only the item features, not exact " + what);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // User-level DP statistics (docs/privacy.md, "Item statistics under DP")

  /**
   * The silo's item statistics with user-level DP: one Gaussian release of L2 sensitivity 1 with
   * noise standard deviation σ_s per entry ({@code GaussianNoise}, discrete on a fine grid), to be
   * charged to the silo's budget as {@code GaussianEvent(σ_s)} before training.
   *
   * <p>What is released (never sent anywhere; it feeds the silo's features): the sum over customers
   * of {@link #contribution} — weighted buyers, repeat buyers and recent buyers per product — plus
   * noise. Negative noisy entries are clamped to 0 and the five features are derived from the noisy
   * vectors only (post-processing); {@code item_units_per_basket} is 0 (not released: it would need
   * its own share of the sensitivity for a feature worth little).
   *
   * @param customers the silo's customers (their training baskets are used)
   * @param size catalogue size
   * @param recentEnd end of the "recent" window: must be public (not derived from the customers'
   *     data), e.g. the declared end of the silo's training period; baskets at or after
   *     {@code recentEnd − 30 days} are recent
   * @param statsNoiseMultiplier σ_s
   * @param noise the noise source ({@code new GaussianNoise()}: {@code SecureRandom})
   * @throws IllegalArgumentException if σ_s is not positive and finite or size is negative
   */
  public static ItemStats privatised(Collection<CustomerLog> customers, int size, LocalDateTime recentEnd,
      double statsNoiseMultiplier, org.hedgerow.privacy.noise.GaussianNoise noise) {
    if (!(statsNoiseMultiplier > 0 && Double.isFinite(statsNoiseMultiplier))) {
      throw new IllegalArgumentException("stats noise multiplier must be > 0 and finite. Provided value: "
          + statsNoiseMultiplier);
    }
    if (size < 0) {
      throw new IllegalArgumentException("catalogue size must be >= 0. Provided value: " + size);
    }
    java.util.Objects.requireNonNull(recentEnd, "recentEnd");
    java.util.Objects.requireNonNull(noise, "noise");
    double[] noisy = noise.addNoise(sums(customers, size, recentEnd), statsNoiseMultiplier);
    return fromRelease(noisy, size, statsNoiseMultiplier);
  }

  /**
   * The noise-free sum of every customer's {@link #contribution}: the vector whose noisy version
   * {@link #privatised} releases. Layout: buyers[0, size), repeat buyers[size, 2·size), recent
   * buyers[2·size, 3·size).
   */
  public static double[] sums(Collection<CustomerLog> customers, int size, LocalDateTime recentEnd) {
    double[] sum = new double[3 * size];
    for (CustomerLog c : customers) {
      double[] v = contribution(c, size, recentEnd);
      for (int i = 0; i < v.length; i++) {
        sum[i] += v[i];
      }
    }
    return sum;
  }

  /**
   * One customer's contribution to the release, with L2 norm exactly 1 (0 without purchases), which
   * bounds the sensitivity: adding or removing the customer changes {@link #sums} by this vector
   * only, because nothing in it depends on other customers (the recent window's end is public).
   *
   * <p>With D the distinct products they bought, R ⊆ D those in ≥ 2 of their baskets and C ⊆ D those
   * in a basket of the recent window, the customer adds the same weight w = 1/√(|D| + |R| + |C|) to
   * buyers[i] for i ∈ D, repeat[i] for i ∈ R and recent[i] for i ∈ C; the squared norm is
   * w²(|D| + |R| + |C|) = 1. One weight for all three parts keeps repeat/buyers a (weighted) rate;
   * customers with many products spread their unit of influence thinly, as in McMahan et al.
   * (2018)'s per-user bounding.
   */
  static double[] contribution(CustomerLog c, int size, LocalDateTime recentEnd) {
    LocalDateTime recentFrom = recentEnd.minusDays(RECENT_DAYS);
    int[] basketsWith = new int[size];
    boolean[] recent = new boolean[size];
    int[] lastBasket = new int[size];
    java.util.Arrays.fill(lastBasket, -1);
    int basketNo = 0;
    for (Basket b : c.train()) {
      boolean isRecent = !b.time().isBefore(recentFrom);
      for (int i : b.items()) {
        if (i < 0) {
          continue;
        }
        if (i >= size) {
          throw new IllegalArgumentException("item " + i + " outside the catalogue of " + size);
        }
        if (lastBasket[i] != basketNo) { // a product listed twice in one basket counts once
          lastBasket[i] = basketNo;
          basketsWith[i]++;
        }
        recent[i] |= isRecent;
      }
      basketNo++;
    }
    int n = 0;
    for (int i = 0; i < size; i++) {
      if (basketsWith[i] > 0) {
        n += 1 + (basketsWith[i] >= 2 ? 1 : 0) + (recent[i] ? 1 : 0);
      }
    }
    double[] v = new double[3 * size];
    if (n == 0) {
      return v;
    }
    double w = 1 / Math.sqrt(n);
    for (int i = 0; i < size; i++) {
      if (basketsWith[i] > 0) {
        v[i] = w;
        if (basketsWith[i] >= 2) {
          v[size + i] = w;
        }
        if (recent[i]) {
          v[2 * size + i] = w;
        }
      }
    }
    return v;
  }

  /**
   * Post-processing of a noisy release into the five item features. Negative counts are clamped to
   * 0. The repeat rate is shrunk by σ_s (instead of the exact version's one buyer) so that items whose
   * noisy buyer count is within the noise do not get a spurious rate; "sold here" requires a noisy
   * buyer count of at least σ_s (one standard deviation: an unsold product passes with probability
   * about 0.16, instead of 0.5 with a threshold of 0).
   */
  public static ItemStats fromRelease(double[] noisy, int size, double statsNoiseMultiplier) {
    double[] b = new double[size];
    double[] r = new double[size];
    double[] c = new double[size];
    double maxB = 0;
    double maxC = 0;
    for (int i = 0; i < size; i++) {
      b[i] = Math.max(0, noisy[i]);
      r[i] = Math.max(0, noisy[size + i]);
      c[i] = Math.max(0, noisy[2 * size + i]);
      maxB = Math.max(maxB, b[i]);
      maxC = Math.max(maxC, c[i]);
    }
    double logMaxB = Math.log1p(maxB);
    double logMaxC = Math.log1p(maxC);
    float[] f = new float[size * FeatureExtractor.ITEM_FEATURES];
    for (int i = 0; i < size; i++) {
      int o = i * FeatureExtractor.ITEM_FEATURES;
      f[o] = logMaxB == 0 ? 0f : (float) (Math.log1p(b[i]) / logMaxB);
      f[o + 1] = logMaxC == 0 ? 0f : (float) (Math.log1p(c[i]) / logMaxC);
      f[o + 2] = (float) Math.min(1, r[i] / (b[i] + statsNoiseMultiplier));
      f[o + 3] = 0f;
      f[o + 4] = b[i] >= statsNoiseMultiplier ? 1f : 0f;
    }
    return new ItemStats(size, f);
  }
}
