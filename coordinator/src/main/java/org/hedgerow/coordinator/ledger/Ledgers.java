package org.hedgerow.coordinator.ledger;

import java.util.List;
import org.hedgerow.coordinator.store.StoredSpend;
import org.hedgerow.privacy.ledger.PrivacyLedger;

/**
 * The coordinator's ledger from its recorded spends: one link per spend, in ledger order — a silo's
 * signed spend with its public key and signature, the coordinator's own (central DP) without. The
 * same spends and key always give the same links (Ed25519 is deterministic), hence the same head.
 */
public final class Ledgers {
  private Ledgers() {}

  /** Chains and countersigns {@code spends} (in ledger order) with the coordinator's ledger key. */
  public static PrivacyLedger of(List<StoredSpend> spends, byte[] ledgerPrivateKey) {
    PrivacyLedger l = new PrivacyLedger(ledgerPrivateKey, List.of());
    for (StoredSpend s : spends) {
      if (s.fromSilo()) {
        l.append(s.signed());
      } else {
        l.append(s.spend());
      }
    }
    return l;
  }
}
