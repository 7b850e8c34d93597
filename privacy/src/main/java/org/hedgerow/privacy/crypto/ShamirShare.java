package org.hedgerow.privacy.crypto;

import java.math.BigInteger;

/**
 * One share {@code (x, y = f(x))} of a secret split by {@link ShamirSecretSharing}: a point on a
 * random polynomial over the prime field {@link ShamirSecretSharing#PRIME}. {@code x} is the
 * holder's public evaluation point ({@code >= 1}); {@code y} is secret.
 */
public record ShamirShare(int x, BigInteger y) {
  public ShamirShare {
    if (x < 1) {
      throw new IllegalArgumentException("x must be >= 1 (0 is where the secret lives). Provided value: " + x);
    }
    CryptoChecks.requireNonNull(y, "y");
    if (y.signum() < 0 || y.compareTo(ShamirSecretSharing.PRIME) >= 0) {
      throw new IllegalArgumentException("y must be a field element in [0, p). Provided value has "
          + y.bitLength() + " bits");
    }
  }

  /** {@code y} as a fixed-width big-endian field element of {@link ShamirSecretSharing#ELEMENT_BYTES}. */
  public byte[] yBytes() {
    return ShamirSecretSharing.encodeElement(y);
  }

  @Override
  public String toString() {
    return "ShamirShare[x=" + x + "]"; // y is secret
  }
}
