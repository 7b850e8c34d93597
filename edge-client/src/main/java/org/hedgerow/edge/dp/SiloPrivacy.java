package org.hedgerow.edge.dp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.Spend;

/**
 * A DP silo's privacy state for one federation: its settings, its budget (restored from its log
 * when it restarts), the log that keeps every charge signed and durable, and its release (item
 * statistics and the noisy customer count N̂).
 *
 * <p>Order of operations, which is what keeps the guarantee across crashes: a charge is appended to
 * the log (signed, fsynced by a durable log) <em>before</em> anything it pays for is computed or
 * leaves; so a crash can only leave a charge without a release (over-counting), never a release
 * without a charge.
 */
public final class SiloPrivacy {
  /** Ledger mechanism of a round of user-level DP-SGD. */
  public static final String MECHANISM = "dp-sgd-user";

  private final DpConfig config;
  private final PrivacyBudget budget;
  private final SpendLog log;
  private final SiloRelease release;
  private long reportedUpTo; // entries with a smaller counter were acknowledged by the coordinator

  /**
   * @param budget the silo's budget, already holding the release's charge (see {@link #start})
   * @param release the silo's release, or null for the trainer alone (no statistics, count public)
   */
  public SiloPrivacy(DpConfig config, PrivacyBudget budget, SpendLog log, SiloRelease release) {
    this.config = config;
    this.budget = budget;
    this.log = log;
    this.release = release;
  }

  /**
   * A fresh silo: charges {@code release} to a new budget, appending both charges to {@code log}
   * before the release is used.
   */
  public static SiloPrivacy start(String silo, DpConfig config, SpendLog log, SiloRelease release) {
    PrivacyBudget b = config.budget(silo);
    if (release != null) {
      for (Spend s : release.charge(b)) {
        log.append(s);
      }
    }
    return new SiloPrivacy(config, b, log, release);
  }

  public DpConfig config() {
    return config;
  }

  public PrivacyBudget budget() {
    return budget;
  }

  public SpendLog log() {
    return log;
  }

  /** The release, or null when none was made. */
  public SiloRelease release() {
    return release;
  }

  /** Why round {@code round} must be declined, or empty if it fits under the cap. */
  public Optional<String> refusal(int round) {
    return budget.refusal(round, config.noiseMultiplier(), config.sampleRate(), config.stepsPerRound());
  }

  /**
   * Charges round {@code round} and writes the signed charge to the log; call before training it.
   *
   * @throws IllegalStateException if the round would exceed the cap (nothing recorded)
   */
  public SignedSpend chargeRound(int round) {
    Spend s = budget.spend(round, MECHANISM, config.noiseMultiplier(), config.sampleRate(), config.stepsPerRound(),
        config.clipNorm());
    return log.append(s);
  }

  /**
   * Charges a round of distributed DP ({@link DistributedDpRound}) and writes the signed charge: one
   * unsampled release with the secure sum's effective noise multiplier z (sample rate 1, one step),
   * recording every parameter z was computed from.
   *
   * @throws IllegalStateException if the round would exceed the cap (nothing recorded)
   */
  public SignedSpend chargeDistributedRound(int round,
      org.hedgerow.privacy.accounting.DistributedGaussianParameters parameters, double clipNorm) {
    Spend s = budget.spendDistributed(round, DistributedDpRound.MECHANISM, parameters, clipNorm);
    return log.append(s);
  }

  /** Log entries not yet acknowledged by the coordinator, in counter order. */
  public synchronized List<SignedSpend> unreported() {
    List<SignedSpend> out = new ArrayList<>();
    for (SignedSpend s : log.entries()) {
      if (s.spend().counter() >= reportedUpTo) {
        out.add(s);
      }
    }
    return out;
  }

  /** The coordinator has recorded every entry below {@code nextCounter}. */
  public synchronized void reported(long nextCounter) {
    reportedUpTo = Math.max(reportedUpTo, nextCounter);
  }

  /**
   * N̂, the customer count this silo uses as its DP-SGD denominator (q·N̂) and FedAvg weight: the
   * release's noisy count, or {@code exactCount} when no release was made (unit tests only).
   */
  public double customerCount(int exactCount) {
    return release != null ? release.customerCount() : exactCount;
  }
}
