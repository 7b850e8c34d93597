package org.hedgerow.privacy.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES-256-GCM authenticated encryption with associated data (NIST SP 800-38D).
 *
 * <p>Guarantee: {@link #open} returns the plaintext only if the sealed bytes and the associated
 * data are exactly those given to {@link #seal} under the same key; otherwise it throws
 * {@link AuthenticationFailedException}. Confidentiality and integrity hold as long as a
 * (key, nonce) pair is never reused: nonces are 96 random bits from a {@link SecureRandom}, so a
 * key must not seal more than about 2^32 messages (the birthday bound NIST allows for random
 * nonces). In secure aggregation each key seals one message per direction per round.
 *
 * <p>Sealed format: {@code nonce (12 bytes) || ciphertext || tag (16 bytes)}.
 */
public final class AesGcm {
  public static final int KEY_BYTES = 32;
  public static final int NONCE_BYTES = 12;
  public static final int TAG_BYTES = 16;
  /** Bytes a sealed message adds to its plaintext. */
  public static final int OVERHEAD_BYTES = NONCE_BYTES + TAG_BYTES;

  private final SecureRandom random;

  /** Nonces from a fresh {@link SecureRandom}. */
  public AesGcm() {
    this(new SecureRandom());
  }

  /** Seam for tests that need reproducible nonces; production code uses the default. */
  AesGcm(SecureRandom random) {
    this.random = CryptoChecks.requireNonNull(random, "random");
  }

  /** Encrypts and authenticates {@code plaintext}, binding {@code associatedData} (not encrypted). */
  public byte[] seal(byte[] key, byte[] plaintext, byte[] associatedData) {
    CryptoChecks.requireLength(key, KEY_BYTES, "key");
    CryptoChecks.requireNonNull(plaintext, "plaintext");
    CryptoChecks.requireNonNull(associatedData, "associatedData");
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    GCMModeCipher gcm = cipher(true, key, nonce, associatedData);
    byte[] out = new byte[NONCE_BYTES + gcm.getOutputSize(plaintext.length)];
    System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
    int n = gcm.processBytes(plaintext, 0, plaintext.length, out, NONCE_BYTES);
    try {
      gcm.doFinal(out, NONCE_BYTES + n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("GCM encryption cannot fail on valid input", e);
    }
    return out;
  }

  /**
   * Verifies and decrypts.
   *
   * @throws AuthenticationFailedException if the bytes or associated data were altered
   * @throws IllegalArgumentException if {@code sealed} is shorter than nonce plus tag
   */
  public static byte[] open(byte[] key, byte[] sealed, byte[] associatedData) {
    CryptoChecks.requireLength(key, KEY_BYTES, "key");
    CryptoChecks.requireNonNull(sealed, "sealed");
    CryptoChecks.requireNonNull(associatedData, "associatedData");
    if (sealed.length < OVERHEAD_BYTES) {
      throw new IllegalArgumentException(String.format(
          "sealed must be at least %d bytes (nonce + tag). Provided length: %d", OVERHEAD_BYTES, sealed.length));
    }
    byte[] nonce = java.util.Arrays.copyOf(sealed, NONCE_BYTES);
    GCMModeCipher gcm = cipher(false, key, nonce, associatedData);
    int bodyLength = sealed.length - NONCE_BYTES;
    byte[] out = new byte[gcm.getOutputSize(bodyLength)];
    try {
      int n = gcm.processBytes(sealed, NONCE_BYTES, bodyLength, out, 0);
      gcm.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new AuthenticationFailedException(
          "ciphertext failed authentication (tampered, wrong key or wrong associated data)", e);
    }
    return out;
  }

  private static GCMModeCipher cipher(boolean encrypt, byte[] key, byte[] nonce, byte[] aad) {
    GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
    gcm.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BYTES * 8, nonce, aad));
    return gcm;
  }
}
