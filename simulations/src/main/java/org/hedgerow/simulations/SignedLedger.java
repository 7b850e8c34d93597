package org.hedgerow.simulations;

import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import org.hedgerow.aggregation.wire.LedgerJson;
import org.hedgerow.coordinator.ledger.Ledgers;
import org.hedgerow.coordinator.store.StoredSpend;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.hedgerow.privacy.crypto.Hex;

/**
 * A DP federation's privacy ledger as its coordinator serves it ({@code GET /v1/ledger}): the
 * recorded spends (silos' signed ones, the coordinator's own under central DP), hash-chained and
 * countersigned. An in-process coordinator has no state directory, so its ledger key is made for
 * the run (from {@code SecureRandom}, as {@code LedgerKey} makes one) and its public half is kept with
 * the ledger, for {@code hedgerow audit verify/report}.
 *
 * @param jsonLines the ledger, one link per line ({@link LedgerJson})
 * @param coordinatorKeyHex the public half of the key that countersigned it
 * @param head the ledger head hash
 */
public record SignedLedger(String jsonLines, String coordinatorKeyHex, String head) {
  /** Countersigns {@code spends} (in ledger order) with a fresh key. */
  static SignedLedger countersign(List<StoredSpend> spends) {
    Ed25519KeyPair key = Ed25519.generateKeyPair(new SecureRandom());
    org.hedgerow.privacy.ledger.PrivacyLedger l = Ledgers.of(spends, key.privateKey());
    return new SignedLedger(LedgerJson.toJsonLines(l.entries()), Hex.encode(key.publicKey()).toLowerCase(Locale.ROOT),
        l.head());
  }
}
