package org.hedgerow.aggregation.secagg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.hedgerow.privacy.crypto.Hkdf;
import org.hedgerow.privacy.crypto.X25519;

/**
 * Key derivations of the protocol. Every derived key is bound to its purpose, the round and
 * the unordered pair of clients, so that no key or mask seed is ever used twice.
 */
final class SecAggKdf {
  private static final byte[] SALT = "hedgerow/secagg/v1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SHARE_KEY = "share-encryption-key".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PAIR_MASK = "pairwise-mask-seed".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SHARE_AAD = "hedgerow/secagg/v1/share".getBytes(StandardCharsets.UTF_8);

  private SecAggKdf() {}

  /** AES-256-GCM key for shares between u and v: HKDF(X25519(c_u, c_v)). */
  static byte[] shareKey(byte[] ownEncryptionSk, byte[] peerEncryptionPk, long roundId, int u, int v) {
    return derive(ownEncryptionSk, peerEncryptionPk, SHARE_KEY, roundId, u, v);
  }

  /** Seed of the pairwise mask PRG(s_uv): HKDF(X25519(s_u, s_v)). */
  static byte[] pairwiseSeed(byte[] ownMaskingSk, byte[] peerMaskingPk, long roundId, int u, int v) {
    return derive(ownMaskingSk, peerMaskingPk, PAIR_MASK, roundId, u, v);
  }

  /** Associated data of a share ciphertext: direction matters, so (u→v) ≠ (v→u). */
  static byte[] shareAad(long roundId, int sender, int receiver) {
    return ByteBuffer.allocate(SHARE_AAD.length + 16).order(ByteOrder.LITTLE_ENDIAN)
        .put(SHARE_AAD).putLong(roundId).putInt(sender).putInt(receiver).array();
  }

  private static byte[] derive(byte[] sk, byte[] pk, byte[] purpose, long roundId, int u, int v) {
    byte[] secret;
    try {
      secret = X25519.agree(sk, pk);
    } catch (IllegalArgumentException e) {
      throw new ProtocolViolationException("key agreement between clients " + u + " and " + v + " refused: "
          + e.getMessage(), e);
    }
    byte[] info = ByteBuffer.allocate(purpose.length + 16).order(ByteOrder.LITTLE_ENDIAN)
        .put(purpose).putLong(roundId).putInt(Math.min(u, v)).putInt(Math.max(u, v)).array();
    byte[] key = Hkdf.sha256(secret, SALT, info, 32);
    java.util.Arrays.fill(secret, (byte) 0);
    return key;
  }
}
