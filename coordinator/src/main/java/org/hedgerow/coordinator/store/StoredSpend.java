package org.hedgerow.coordinator.store;

import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.Spend;

/**
 * One recorded privacy spend, in ledger order: a silo's signed spend (from {@code POST /v1/spends})
 * or the coordinator's own (central DP, recorded at the round close; {@code signed} is null).
 *
 * @param sequence arrival order across both kinds; the ledger lists spends by it (gaps allowed)
 * @param spend what was released
 * @param signed the holder's signed spend, or null for the coordinator's own
 */
public record StoredSpend(long sequence, Spend spend, SignedSpend signed) {
  public StoredSpend {
    if (spend == null || (signed != null && !signed.spend().equals(spend))) {
      throw new IllegalArgumentException("a stored spend needs its spend (equal to the signed one)");
    }
  }

  /** A silo's signed spend, recorded at {@code sequence}. */
  public static StoredSpend silo(long sequence, SignedSpend signed) {
    return new StoredSpend(sequence, signed.spend(), signed);
  }

  /** The coordinator's own spend, recorded at {@code sequence}. */
  public static StoredSpend coordinator(long sequence, Spend spend) {
    return new StoredSpend(sequence, spend, null);
  }

  /** True for a silo's signed spend. */
  public boolean fromSilo() {
    return signed != null;
  }
}
