package org.hedgerow.coordinator.ledger;

import java.util.List;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.ledger.PrivacyLedger;

/** The coordinator's ledger from its persisted spends: the same spends and key always give the same links. */
public final class Ledgers {
  private Ledgers() {}

  /** Chains and countersigns {@code spends} (in ledger order) with the coordinator's ledger key. */
  public static PrivacyLedger of(List<Spend> spends, byte[] ledgerPrivateKey) {
    PrivacyLedger l = new PrivacyLedger(ledgerPrivateKey, List.of());
    for (Spend s : spends) {
      l.append(s, new byte[0]); // silos do not sign their spends yet: the field stays empty
    }
    return l;
  }
}
