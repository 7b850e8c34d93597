package org.hedgerow.privacy.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * HKDF with SHA-256 (RFC 5869): extract-then-expand. Turns a non-uniform secret such as an
 * X25519 output into keys that are computationally indistinguishable from random, one per
 * distinct {@code info} string, so a single agreement can safely yield several independent keys.
 */
public final class Hkdf {
  /** RFC 5869 limit for SHA-256: 255 hash blocks. */
  public static final int MAX_OUTPUT_BYTES = 255 * 32;

  private Hkdf() {}

  /**
   * Derives {@code length} bytes.
   *
   * @param ikm input keying material (the secret), non-empty
   * @param salt optional salt; {@code null} or empty means the RFC's all-zero salt
   * @param info context binding the output to one use; {@code null} means empty
   */
  public static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length) {
    CryptoChecks.requireNonNull(ikm, "ikm");
    if (ikm.length == 0) {
      throw new IllegalArgumentException("ikm must not be empty");
    }
    if (length < 1 || length > MAX_OUTPUT_BYTES) {
      throw new IllegalArgumentException(String.format(
          "length must be in [1, %d]. Provided value: %d", MAX_OUTPUT_BYTES, length));
    }
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(ikm, salt, info));
    byte[] out = new byte[length];
    hkdf.generateBytes(out, 0, length);
    return out;
  }
}
