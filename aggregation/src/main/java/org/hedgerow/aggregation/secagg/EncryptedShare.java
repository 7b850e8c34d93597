package org.hedgerow.aggregation.secagg;

import java.util.Arrays;
import org.hedgerow.privacy.crypto.AesGcm;
import org.hedgerow.privacy.crypto.ShamirSecretSharing;

/**
 * One AES-GCM ciphertext from {@code senderId} to {@code receiverId} holding the receiver's
 * Shamir shares of the sender's self-mask seed b and masking private key s^SK. The server routes
 * it but cannot read it: the key is HKDF-derived from X25519(c_sender, c_receiver) and the
 * associated data binds round, sender and receiver, so a ciphertext moved to another pair or
 * round fails authentication.
 */
public record EncryptedShare(int senderId, int receiverId, byte[] sealed) {
  /** Plaintext: two field elements. */
  static final int PLAINTEXT_BYTES = 2 * ShamirSecretSharing.ELEMENT_BYTES;
  /** Sealed size: nonce, the two elements, tag. */
  public static final int SEALED_BYTES = PLAINTEXT_BYTES + AesGcm.OVERHEAD_BYTES;

  public EncryptedShare {
    if (senderId < 0 || receiverId < 0) {
      throw new MalformedMessageException("client ids must be >= 0. Provided values: " + senderId + ", " + receiverId);
    }
    sealed = KeyAdvertisement.exact(sealed, SEALED_BYTES, "sealed share");
  }

  @Override
  public byte[] sealed() {
    return sealed.clone();
  }

  byte[] sealedView() {
    return sealed;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncryptedShare e && e.senderId == senderId && e.receiverId == receiverId
        && Arrays.equals(e.sealed, sealed);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sealed);
  }

  @Override
  public String toString() {
    return "EncryptedShare[" + senderId + " -> " + receiverId + "]";
  }
}
