package org.hedgerow.privacy.ledger;

import java.util.ArrayList;
import java.util.List;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.crypto.Ed25519;

/**
 * An append-only, hash-chained, countersigned list of privacy spends: the coordinator's side of the
 * ledger. Not thread-safe; the coordinator appends from one thread and persists each link before it
 * acknowledges the round. {@link LedgerVerifier} checks a ledger offline with public keys only.
 */
public final class PrivacyLedger {
  private final byte[] coordinatorPrivateKey;
  private final List<LedgerEntry> entries = new ArrayList<>();

  /**
   * @param coordinatorPrivateKey the coordinator's 32-byte Ed25519 private key
   * @param existing links already persisted (checked to chain; the ledger continues after them)
   */
  public PrivacyLedger(byte[] coordinatorPrivateKey, List<LedgerEntry> existing) {
    if (coordinatorPrivateKey == null || coordinatorPrivateKey.length != Ed25519.KEY_BYTES) {
      throw new IllegalArgumentException("the coordinator's Ed25519 private key must be " + Ed25519.KEY_BYTES + " bytes");
    }
    this.coordinatorPrivateKey = coordinatorPrivateKey.clone();
    String previous = LedgerEntry.GENESIS;
    for (LedgerEntry e : existing) {
      if (e.sequence() != entries.size() || !e.previousHash().equals(previous)) {
        throw new IllegalArgumentException("stored ledger is broken at link " + entries.size()
            + ": sequence " + e.sequence() + ", previous hash " + e.previousHash() + " (expected " + previous + ")");
      }
      entries.add(e);
      previous = e.hash();
    }
  }

  /** Appends one of the coordinator's own spends (no holder key or signature) and countersigns it. */
  public LedgerEntry append(Spend spend) {
    return append(spend, new byte[0], new byte[0]);
  }

  /** Appends a holder's signed spend and countersigns it. */
  public LedgerEntry append(SignedSpend signed) {
    return append(signed.spend(), signed.publicKey(), signed.signature());
  }

  /**
   * Appends a spend with the holder's public key and signature (empty for the coordinator's own)
   * and countersigns it.
   */
  public LedgerEntry append(Spend spend, byte[] publicKey, byte[] siloSignature) {
    String previous = entries.isEmpty() ? LedgerEntry.GENESIS : entries.get(entries.size() - 1).hash();
    LedgerEntry unsigned = new LedgerEntry(entries.size(), previous, spend, publicKey, siloSignature, new byte[0]);
    byte[] countersignature = Ed25519.sign(coordinatorPrivateKey, unsigned.linkBytes());
    LedgerEntry e = new LedgerEntry(unsigned.sequence(), previous, spend, publicKey, siloSignature, countersignature);
    entries.add(e);
    return e;
  }

  public List<LedgerEntry> entries() {
    return List.copyOf(entries);
  }

  /** Hash of the last link ({@link LedgerEntry#GENESIS} when empty): publishing it pins the whole ledger. */
  public String head() {
    return entries.isEmpty() ? LedgerEntry.GENESIS : entries.get(entries.size() - 1).hash();
  }
}
