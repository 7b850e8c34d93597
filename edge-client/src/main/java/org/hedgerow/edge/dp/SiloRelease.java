package org.hedgerow.edge.dp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.hedgerow.edge.features.ItemStats;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.noise.GaussianNoise;

/**
 * What a DP silo computes from all of its customers once, before training, with user-level DP:
 * its item statistics ({@link ItemStats#sums}: weighted buyers, repeat and recent buyers per
 * product, each customer's contribution of L2 norm 1) and its number of training customers N (each
 * customer with at least two training baskets adds 1). Two Gaussian mechanisms of L2 sensitivity 1,
 * charged as two pre-training releases ({@link #STATS_MECHANISM}, {@link #COUNT_MECHANISM}).
 *
 * <p>The noisy count N̂ is the only customer count a DP silo uses: the fixed denominator q·N̂ of its
 * DP-SGD steps and its FedAvg weight. The exact N never leaves the silo (under add/remove-one
 * adjacency an exact count is not DP).
 *
 * <p>A silo keeps the release ({@link #toBytes}) in its state directory so that a restarted silo
 * reuses it instead of releasing (and paying for) the statistics again.
 */
public final class SiloRelease {
  /** Ledger mechanism of the item-statistics release. */
  public static final String STATS_MECHANISM = "silo-stats-gaussian";
  /** Ledger mechanism of the customer-count release. */
  public static final String COUNT_MECHANISM = "silo-count-gaussian";
  /** Training baskets a customer needs to have training examples (TrainingSetBuilder's rule). */
  static final int MIN_TRAIN_BASKETS = 2;
  private static final int MAGIC = 0x48525231; // "HRR1"

  private final int catalogueSize;
  private final double statsNoiseMultiplier;
  private final double countNoiseMultiplier;
  private final double[] noisyStats;
  private final double noisyCount;

  private SiloRelease(int catalogueSize, double statsNoiseMultiplier, double countNoiseMultiplier, double[] noisyStats,
      double noisyCount) {
    if (noisyStats.length != 3 * catalogueSize) {
      throw new IllegalArgumentException("a release of " + noisyStats.length + " statistics does not fit a catalogue of "
          + catalogueSize);
    }
    this.catalogueSize = catalogueSize;
    this.statsNoiseMultiplier = statsNoiseMultiplier;
    this.countNoiseMultiplier = countNoiseMultiplier;
    this.noisyStats = noisyStats;
    this.noisyCount = noisyCount;
  }

  /**
   * Computes the release: the statistics' sum plus N(0, σ_s²) per entry and the count plus N(0, σ_n²),
   * both from {@code noise} ({@code new GaussianNoise()}: exact discrete Gaussian from SecureRandom).
   *
   * @param recentEnd end of the "recent" window — a declared, public date (never read off the data)
   */
  public static SiloRelease compute(Collection<CustomerLog> customers, int catalogueSize, LocalDateTime recentEnd,
      double statsNoiseMultiplier, double countNoiseMultiplier, GaussianNoise noise) {
    checkSigma("stats noise multiplier", statsNoiseMultiplier);
    checkSigma("count noise multiplier", countNoiseMultiplier);
    Objects.requireNonNull(recentEnd, "recentEnd");
    double[] stats = noise.addNoise(ItemStats.sums(customers, catalogueSize, recentEnd), statsNoiseMultiplier);
    double count = customers.stream().filter(c -> c.train().size() >= MIN_TRAIN_BASKETS).count();
    double noisy = noise.addNoise(new double[] {count}, countNoiseMultiplier)[0];
    return new SiloRelease(catalogueSize, statsNoiseMultiplier, countNoiseMultiplier, stats, noisy);
  }

  private static void checkSigma(String what, double v) {
    if (!(v > 0 && Double.isFinite(v))) {
      throw new IllegalArgumentException(what + " must be > 0 and finite. Provided value: " + v);
    }
  }

  /**
   * Charges both releases to {@code budget} (before the release is used), statistics first.
   *
   * @return the two log entries, to be written durably before anything computed from them leaves
   * @throws IllegalStateException if they would take the budget over its cap
   */
  public List<Spend> charge(PrivacyBudget budget) {
    Spend stats = budget.chargeGaussianRelease(STATS_MECHANISM, statsNoiseMultiplier);
    Spend count = budget.chargeGaussianRelease(COUNT_MECHANISM, countNoiseMultiplier);
    return List.of(stats, count);
  }

  /** The item features, from the noisy statistics only (post-processing). */
  public ItemStats itemStats() {
    return ItemStats.fromRelease(noisyStats, catalogueSize, statsNoiseMultiplier);
  }

  /**
   * N̂: the noisy number of training customers, at least 1 — the silo's DP-SGD denominator is q·N̂
   * and its FedAvg weight round(N̂) (post-processing of the release).
   */
  public double customerCount() {
    return Math.max(1, noisyCount);
  }

  public int catalogueSize() {
    return catalogueSize;
  }

  public double statsNoiseMultiplier() {
    return statsNoiseMultiplier;
  }

  public double countNoiseMultiplier() {
    return countNoiseMultiplier;
  }

  /** The release as bytes, for the silo's state directory. */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(24 * catalogueSize + 64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(catalogueSize);
      out.writeDouble(statsNoiseMultiplier);
      out.writeDouble(countNoiseMultiplier);
      out.writeDouble(noisyCount);
      for (double v : noisyStats) {
        out.writeDouble(v);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads {@link #toBytes}; the message of a refusal says what was wrong. */
  public static SiloRelease fromBytes(byte[] b) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
      if (in.readInt() != MAGIC) {
        throw new IllegalArgumentException("not a saved silo release (bad magic number)");
      }
      int size = in.readInt();
      if (size < 0 || (long) size * 24 + 32 != b.length) {
        throw new IllegalArgumentException("saved silo release is truncated or has the wrong size");
      }
      double statsSigma = in.readDouble();
      double countSigma = in.readDouble();
      double count = in.readDouble();
      double[] stats = new double[3 * size];
      for (int i = 0; i < stats.length; i++) {
        stats[i] = in.readDouble();
      }
      checkSigma("saved stats noise multiplier", statsSigma);
      checkSigma("saved count noise multiplier", countSigma);
      return new SiloRelease(size, statsSigma, countSigma, stats, count);
    } catch (IOException e) {
      throw new IllegalArgumentException("saved silo release is truncated", e);
    }
  }
}
