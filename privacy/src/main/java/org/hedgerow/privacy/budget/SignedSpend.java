package org.hedgerow.privacy.budget;

import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;

/**
 * A {@link Spend} signed by its holder with the holder's long-term Ed25519 identity key: what a silo
 * writes to its own log and sends to the coordinator, and what an auditor checks.
 *
 * @param spend what was released
 * @param publicKey the holder's Ed25519 public key (32 bytes)
 * @param signature Ed25519 signature of {@link Spend#signedBytes()} (64 bytes)
 */
public record SignedSpend(Spend spend, byte[] publicKey, byte[] signature) {
  public SignedSpend {
    if (spend == null) {
      throw new IllegalArgumentException("a signed spend needs a spend");
    }
    if (publicKey == null || publicKey.length != Ed25519.KEY_BYTES) {
      throw new IllegalArgumentException("publicKey must be " + Ed25519.KEY_BYTES + " bytes");
    }
    if (signature == null || signature.length != Ed25519.SIGNATURE_BYTES) {
      throw new IllegalArgumentException("signature must be " + Ed25519.SIGNATURE_BYTES + " bytes");
    }
    publicKey = publicKey.clone();
    signature = signature.clone();
  }

  /** Signs {@code spend} with {@code key}. */
  public static SignedSpend sign(Spend spend, Ed25519KeyPair key) {
    return new SignedSpend(spend, key.publicKey(), Ed25519.sign(key.privateKey(), spend.signedBytes()));
  }

  /** Whether the signature is valid for the spend under {@link #publicKey()}. */
  public boolean valid() {
    return Ed25519.verify(publicKey, spend.signedBytes(), signature);
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedSpend s && spend.equals(s.spend) && java.util.Arrays.equals(publicKey, s.publicKey)
        && java.util.Arrays.equals(signature, s.signature);
  }

  @Override
  public int hashCode() {
    return spend.hashCode() * 31 + java.util.Arrays.hashCode(signature);
  }
}
