package org.hedgerow.edge.dp;

import java.util.List;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.Spend;

/**
 * Where a silo keeps the spends its budget charged, signed with its identity key. A production silo
 * keeps them in its state directory, written and fsynced before {@link #append} returns, so that
 * nothing is released before its spend is on disk and a restarted silo continues its budget.
 */
public interface SpendLog {
  /** Signs {@code spend} with the silo's identity key and records it durably; returns the signed entry. */
  SignedSpend append(Spend spend);

  /** Every entry so far, in counter order. */
  List<SignedSpend> entries();

  /**
   * The silo's long-term Ed25519 identity: it signs the spends, and the silo registers its public
   * half with the coordinator when it joins (so the coordinator can check the spends it is sent).
   */
  org.hedgerow.privacy.crypto.Ed25519KeyPair identity();
}
