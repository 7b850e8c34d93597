package org.hedgerow.privacy.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * X25519 Diffie–Hellman (RFC 7748) over BouncyCastle's lightweight API.
 *
 * <p>Guarantee: two parties holding {@code (a, A)} and {@code (b, B)} compute the same 32-byte
 * shared secret {@code agree(a, B) == agree(b, A)}, which an observer of {@code A} and {@code B}
 * cannot compute (CDH on Curve25519). The raw secret is not uniformly random: always feed it
 * through {@link Hkdf} before using it as a key. Peer keys of small order (which would force an
 * all-zero secret) are rejected.
 */
public final class X25519 {
  /** Length of private keys, public keys and shared secrets. */
  public static final int KEY_BYTES = 32;

  private X25519() {}

  /** A fresh key pair from {@code random}, which must be a cryptographically secure source. */
  public static X25519KeyPair generateKeyPair(SecureRandom random) {
    CryptoChecks.requireNonNull(random, "random");
    X25519PrivateKeyParameters sk = new X25519PrivateKeyParameters(random);
    return new X25519KeyPair(sk.getEncoded(), sk.generatePublicKey().getEncoded());
  }

  /** The public key belonging to a 32-byte private key. */
  public static byte[] publicKeyOf(byte[] privateKey) {
    CryptoChecks.requireLength(privateKey, KEY_BYTES, "privateKey");
    return new X25519PrivateKeyParameters(privateKey, 0).generatePublicKey().getEncoded();
  }

  /**
   * The raw shared secret between our private key and a peer's public key.
   *
   * @throws IllegalArgumentException if a key has the wrong length or the peer key is of small
   *     order (the agreement would be all zeros)
   */
  public static byte[] agree(byte[] privateKey, byte[] peerPublicKey) {
    CryptoChecks.requireLength(privateKey, KEY_BYTES, "privateKey");
    CryptoChecks.requireLength(peerPublicKey, KEY_BYTES, "peerPublicKey");
    X25519Agreement agreement = new X25519Agreement();
    agreement.init(new X25519PrivateKeyParameters(privateKey, 0));
    byte[] secret = new byte[KEY_BYTES];
    try {
      agreement.calculateAgreement(new X25519PublicKeyParameters(peerPublicKey, 0), secret, 0);
    } catch (IllegalStateException e) {
      // BouncyCastle signals an all-zero result this way: the peer sent a small-order point.
      throw new IllegalArgumentException("peerPublicKey is a small-order point: agreement refused", e);
    }
    return secret;
  }
}
