package org.hedgerow.privacy.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Ed25519 signatures (RFC 8032, pure variant, no context).
 *
 * <p>Guarantee: without the private key nobody can produce a signature that {@link #verify}
 * accepts for a message the owner did not sign (existential unforgeability under chosen-message
 * attack). Signatures are deterministic: the same key and message give the same 64 bytes.
 */
public final class Ed25519 {
  public static final int KEY_BYTES = 32;
  public static final int SIGNATURE_BYTES = 64;

  private Ed25519() {}

  /** A fresh key pair from a cryptographically secure {@code random}. */
  public static Ed25519KeyPair generateKeyPair(SecureRandom random) {
    CryptoChecks.requireNonNull(random, "random");
    Ed25519PrivateKeyParameters sk = new Ed25519PrivateKeyParameters(random);
    return new Ed25519KeyPair(sk.getEncoded(), sk.generatePublicKey().getEncoded());
  }

  /** The public key of a 32-byte private key (seed). */
  public static byte[] publicKeyOf(byte[] privateKey) {
    CryptoChecks.requireLength(privateKey, KEY_BYTES, "privateKey");
    return new Ed25519PrivateKeyParameters(privateKey, 0).generatePublicKey().getEncoded();
  }

  /** Signs {@code message}. */
  public static byte[] sign(byte[] privateKey, byte[] message) {
    CryptoChecks.requireLength(privateKey, KEY_BYTES, "privateKey");
    CryptoChecks.requireNonNull(message, "message");
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, new Ed25519PrivateKeyParameters(privateKey, 0));
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /**
   * Whether {@code signature} is a valid signature of {@code message} under {@code publicKey}.
   * Malformed signatures (wrong length) and malformed public keys verify as {@code false}.
   */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    CryptoChecks.requireNonNull(message, "message");
    Ed25519PublicKey key = Ed25519PublicKey.decodeOrNull(publicKey);
    return key != null && key.verify(message, signature);
  }
}
