package org.hedgerow.privacy.crypto;

/**
 * An X25519 key pair as raw 32-byte strings (RFC 7748 encoding). The private key never leaves
 * its owner; the public key is what gets advertised.
 */
public record X25519KeyPair(byte[] privateKey, byte[] publicKey) {
  public X25519KeyPair {
    privateKey = CryptoChecks.requireLength(privateKey, X25519.KEY_BYTES, "privateKey").clone();
    publicKey = CryptoChecks.requireLength(publicKey, X25519.KEY_BYTES, "publicKey").clone();
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
    // Never print the private half.
    return "X25519KeyPair[publicKey=" + Hex.encode(publicKey) + "]";
  }
}
