package org.hedgerow.privacy.crypto;

/** Parameter checks shared by the primitives, so every rejection reads the same way. */
final class CryptoChecks {
  private CryptoChecks() {}

  static byte[] requireLength(byte[] value, int length, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    if (value.length != length) {
      throw new IllegalArgumentException(String.format(
          "%s must be exactly %d bytes. Provided length: %d", name, length, value.length));
    }
    return value;
  }

  static <T> T requireNonNull(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }
}
