package org.hedgerow.privacy.crypto;

/**
 * An Ed25519 signing key pair as raw 32-byte strings (RFC 8032 encoding): a long-term identity.
 * The public key is registered at enrolment; the private key signs each round's advertisements.
 */
public record Ed25519KeyPair(byte[] privateKey, byte[] publicKey) {
  public Ed25519KeyPair {
    privateKey = CryptoChecks.requireLength(privateKey, Ed25519.KEY_BYTES, "privateKey").clone();
    publicKey = CryptoChecks.requireLength(publicKey, Ed25519.KEY_BYTES, "publicKey").clone();
  }

  @Override
  public byte[] privateKey() {
    return privateKey.clone();
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public String toString() {
    return "Ed25519KeyPair[publicKey=" + Hex.encode(publicKey) + "]";
  }
}
