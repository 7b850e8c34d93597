package org.hedgerow.privacy.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.crypto.Hex;

/**
 * One link of the privacy ledger: a {@link Spend}, its place in the chain, the holder's public key
 * and signature of the spend, and the coordinator's countersignature of the whole link.
 *
 * <p>The silo signs {@link Spend#signedBytes()} (it does not know the chain position) with its
 * identity key; the coordinator signs {@link #linkBytes()}, which covers the sequence number, the
 * previous link's hash, the silo's public key and signature, and the spend. {@link #hash()} covers
 * the link and the countersignature, so changing any byte of an earlier link breaks every later
 * {@code previousHash}. The coordinator's own spends (central DP) carry no public key and no silo
 * signature.
 *
 * @param sequence 0-based position in the ledger
 * @param previousHash hex SHA-256 {@link #hash()} of the previous link; {@link #GENESIS} for the first
 * @param spend what was released
 * @param publicKey the holder's Ed25519 public key (32 bytes); empty for the coordinator's own links
 * @param siloSignature Ed25519 signature of {@link Spend#signedBytes()} by the holder; empty if unsigned
 * @param coordinatorSignature Ed25519 signature of {@link #linkBytes()} by the coordinator
 */
public record LedgerEntry(long sequence, String previousHash, Spend spend, byte[] publicKey, byte[] siloSignature,
    byte[] coordinatorSignature) {
  /** The previous hash of the first link: 64 zeros. */
  public static final String GENESIS = "0".repeat(64);

  public LedgerEntry {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0. Provided value: " + sequence);
    }
    if (previousHash == null || !previousHash.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("previous hash must be 64 lower-case hex digits. Provided value: " + previousHash);
    }
    if (spend == null) {
      throw new IllegalArgumentException("a ledger entry needs a spend");
    }
    publicKey = publicKey == null ? new byte[0] : publicKey.clone();
    siloSignature = siloSignature == null ? new byte[0] : siloSignature.clone();
    coordinatorSignature = coordinatorSignature == null ? new byte[0] : coordinatorSignature.clone();
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] siloSignature() {
    return siloSignature.clone();
  }

  @Override
  public byte[] coordinatorSignature() {
    return coordinatorSignature.clone();
  }

  /** True if the link carries a holder's key and signature (a silo's spend), false for the coordinator's own. */
  public boolean holderSigned() {
    return publicKey.length > 0 || siloSignature.length > 0;
  }

  /** The holder's signed spend, if the link carries a well-formed key and signature. */
  public java.util.Optional<SignedSpend> signedSpend() {
    try {
      return java.util.Optional.of(new SignedSpend(spend, publicKey, siloSignature));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  /** The canonical bytes of a spend, which the silo signs ({@link Spend#signedBytes()}). */
  public static byte[] spendBytes(Spend s) {
    return s.signedBytes();
  }

  /**
   * What the coordinator countersigns: position, previous hash, the holder's public key and
   * signature, and the spend.
   */
  public byte[] linkBytes() {
    String head = "hedgerow-ledger-v2\nsequence=" + sequence + "\nprevious=" + previousHash + "\npublic_key="
        + Hex.encode(publicKey).toLowerCase(Locale.ROOT) + "\nsilo_signature="
        + Base64.getEncoder().encodeToString(siloSignature) + "\n";
    byte[] h = head.getBytes(StandardCharsets.UTF_8);
    byte[] s = spendBytes(spend);
    byte[] out = new byte[h.length + s.length];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(s, 0, out, h.length, s.length);
    return out;
  }

  /** Hex SHA-256 of the link bytes followed by the coordinator's signature: the next link's {@code previousHash}. */
  public String hash() {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(linkBytes());
      d.update(coordinatorSignature);
      return Hex.encode(d.digest()).toLowerCase(Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
