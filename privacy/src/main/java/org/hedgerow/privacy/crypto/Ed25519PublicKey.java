package org.hedgerow.privacy.crypto;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A decoded Ed25519 public key: the curve point is decompressed and checked once, so a key that
 * verifies many signatures (a silo's identity key across a round's stages) does not pay for
 * decoding each time. Immutable, safe to share between threads.
 */
public final class Ed25519PublicKey {
  private final Ed25519PublicKeyParameters point;

  private Ed25519PublicKey(Ed25519PublicKeyParameters point) {
    this.point = point;
  }

  /** The decoded key, or null if {@code encoded} is not 32 bytes or not a point on the curve. */
  public static Ed25519PublicKey decodeOrNull(byte[] encoded) {
    if (encoded == null || encoded.length != Ed25519.KEY_BYTES) {
      return null;
    }
    try {
      return new Ed25519PublicKey(new Ed25519PublicKeyParameters(encoded, 0));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Whether {@code signature} is a valid RFC 8032 signature of {@code message}; a wrong-length signature is not. */
  public boolean verify(byte[] message, byte[] signature) {
    CryptoChecks.requireNonNull(message, "message");
    if (signature == null || signature.length != Ed25519.SIGNATURE_BYTES) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, point);
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }
}
