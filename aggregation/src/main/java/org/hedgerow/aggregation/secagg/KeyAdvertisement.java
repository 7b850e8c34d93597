package org.hedgerow.aggregation.secagg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Hex;
import org.hedgerow.privacy.crypto.X25519;

/**
 * Stage 0, client → server (and relayed to every client): a client's two fresh X25519 public keys
 * for this round — {@code encryptionKey} (c^PK, for share encryption) and {@code maskingKey}
 * (s^PK, for pairwise masks) — and its commitment to its self-mask seed,
 * {@code selfMaskCommitment} = {@link #commitment}(roundId, clientId, b_u), all signed with its
 * Ed25519 identity key over
 * {@code "hedgerow/secagg/v3/advertise" | roundId | clientId | c^PK | s^PK | H(b_u)}.
 *
 * <p>The commitment lets the server check the seed it reconstructs from revealed shares, so a bad
 * share is caught (and its holder named) instead of silently corrupting the sum. SHA-256 of a
 * 32-byte random seed reveals nothing usable about it.
 *
 * <p>Encoding: header, {@code clientId (4) | c^PK (32) | s^PK (32) | H(b_u) (32) | signature (64)}.
 */
public record KeyAdvertisement(long roundId, int clientId, byte[] encryptionKey, byte[] maskingKey,
    byte[] selfMaskCommitment, byte[] signature) implements SecAggMessage {
  static final int BODY_BYTES = 4 + 32 + 32 + 32 + Ed25519.SIGNATURE_BYTES;
  private static final byte[] DOMAIN = "hedgerow/secagg/v3/advertise".getBytes(StandardCharsets.UTF_8);
  private static final byte[] COMMITMENT_DOMAIN = "hedgerow/secagg/v3/self-mask-commitment"
      .getBytes(StandardCharsets.UTF_8);

  public KeyAdvertisement {
    encryptionKey = exact(encryptionKey, X25519.KEY_BYTES, "encryptionKey");
    maskingKey = exact(maskingKey, X25519.KEY_BYTES, "maskingKey");
    selfMaskCommitment = exact(selfMaskCommitment, 32, "selfMaskCommitment");
    signature = exact(signature, Ed25519.SIGNATURE_BYTES, "signature");
    if (clientId < 0) {
      throw new MalformedMessageException("clientId must be >= 0. Provided value: " + clientId);
    }
  }

  /** Creates and signs an advertisement. */
  public static KeyAdvertisement sign(long roundId, int clientId, byte[] encryptionKey, byte[] maskingKey,
      byte[] selfMaskCommitment, byte[] identityPrivateKey) {
    byte[] sig = Ed25519.sign(identityPrivateKey,
        signedBytes(roundId, clientId, encryptionKey, maskingKey, selfMaskCommitment));
    return new KeyAdvertisement(roundId, clientId, encryptionKey, maskingKey, selfMaskCommitment, sig);
  }

  /** Whether the signature is valid under the roster's identity key for {@link #clientId()}. */
  public boolean verify(ClientRoster roster) {
    return roster.verifies(clientId, signedBytes(roundId, clientId, encryptionKey, maskingKey, selfMaskCommitment),
        signature);
  }

  /**
   * The commitment to a self-mask seed: SHA-256({@code "hedgerow/secagg/v3/self-mask-commitment"} |
   * roundId | clientId | seed). Bound to the round and the owner, so one seed's commitment is no use
   * for another client or session.
   */
  public static byte[] commitment(long roundId, int clientId, byte[] selfMaskSeed) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update(COMMITMENT_DOMAIN);
      sha.update(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(roundId).putInt(clientId).array());
      sha.update(selfMaskSeed);
      return sha.digest();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e); // every Java platform has it
    }
  }

  /** Whether {@code seed} is the self-mask seed this advertisement committed to. */
  public boolean commitsTo(byte[] seed) {
    return java.security.MessageDigest.isEqual(commitment(roundId, clientId, seed), selfMaskCommitment);
  }

  static byte[] signedBytes(long roundId, int clientId, byte[] c, byte[] s, byte[] commitment) {
    return ByteBuffer.allocate(DOMAIN.length + 8 + 4 + 96).order(ByteOrder.LITTLE_ENDIAN)
        .put(DOMAIN).putLong(roundId).putInt(clientId).put(c).put(s).put(commitment).array();
  }

  @Override
  public byte[] selfMaskCommitment() {
    return selfMaskCommitment.clone();
  }

  @Override
  public byte[] encryptionKey() {
    return encryptionKey.clone();
  }

  @Override
  public byte[] maskingKey() {
    return maskingKey.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public byte[] toBytes() {
    MessageWriter w = new MessageWriter(MessageType.KEY_ADVERTISEMENT, roundId, BODY_BYTES);
    writeBody(w);
    return w.finish();
  }

  void writeBody(MessageWriter w) {
    w.i32(clientId).bytes(encryptionKey).bytes(maskingKey).bytes(selfMaskCommitment).bytes(signature);
  }

  static KeyAdvertisement readBody(MessageReader r, long roundId) {
    int id = r.i32();
    return new KeyAdvertisement(roundId, id, r.bytes(32, "encryption key"), r.bytes(32, "masking key"),
        r.bytes(32, "self-mask commitment"), r.bytes(Ed25519.SIGNATURE_BYTES, "signature"));
  }

  /** @throws MalformedMessageException if the bytes are not a well-formed advertisement */
  public static KeyAdvertisement fromBytes(byte[] bytes) {
    MessageReader r = new MessageReader(bytes, MessageType.KEY_ADVERTISEMENT);
    KeyAdvertisement a = readBody(r, r.roundId());
    r.finish();
    return a;
  }

  static byte[] exact(byte[] v, int length, String name) {
    if (v == null || v.length != length) {
      throw new MalformedMessageException(String.format("%s must be exactly %d bytes. Provided length: %s",
          name, length, v == null ? "null" : v.length));
    }
    return v.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyAdvertisement a && a.roundId == roundId && a.clientId == clientId
        && java.util.Arrays.equals(a.encryptionKey, encryptionKey) && java.util.Arrays.equals(a.maskingKey, maskingKey)
        && java.util.Arrays.equals(a.selfMaskCommitment, selfMaskCommitment) && java.util.Arrays.equals(a.signature, signature);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "KeyAdvertisement[round=" + roundId + ", client=" + clientId + ", c=" + Hex.encode(encryptionKey)
        + ", s=" + Hex.encode(maskingKey) + "]";
  }
}
