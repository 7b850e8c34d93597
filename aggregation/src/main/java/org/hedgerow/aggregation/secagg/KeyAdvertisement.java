package org.hedgerow.aggregation.secagg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Hex;
import org.hedgerow.privacy.crypto.X25519;

/**
 * Stage 0, client → server (and relayed to neighbours): a client's two fresh X25519 public keys
 * for this round — {@code encryptionKey} (c^PK, for share encryption) and {@code maskingKey}
 * (s^PK, for pairwise masks) — signed with its Ed25519 identity key over
 * {@code "hedgerow/secagg/v1/advertise" | roundId | clientId | c^PK | s^PK}.
 *
 * <p>Encoding: header, {@code clientId (4) | c^PK (32) | s^PK (32) | signature (64)}.
 */
public record KeyAdvertisement(long roundId, int clientId, byte[] encryptionKey, byte[] maskingKey, byte[] signature)
    implements SecAggMessage {
  static final int BODY_BYTES = 4 + 32 + 32 + Ed25519.SIGNATURE_BYTES;
  private static final byte[] DOMAIN = "hedgerow/secagg/v1/advertise".getBytes(StandardCharsets.UTF_8);

  public KeyAdvertisement {
    encryptionKey = exact(encryptionKey, X25519.KEY_BYTES, "encryptionKey");
    maskingKey = exact(maskingKey, X25519.KEY_BYTES, "maskingKey");
    signature = exact(signature, Ed25519.SIGNATURE_BYTES, "signature");
    if (clientId < 0) {
      throw new MalformedMessageException("clientId must be >= 0. Provided value: " + clientId);
    }
  }

  /** Creates and signs an advertisement. */
  public static KeyAdvertisement sign(long roundId, int clientId, byte[] encryptionKey, byte[] maskingKey,
      byte[] identityPrivateKey) {
    byte[] sig = Ed25519.sign(identityPrivateKey, signedBytes(roundId, clientId, encryptionKey, maskingKey));
    return new KeyAdvertisement(roundId, clientId, encryptionKey, maskingKey, sig);
  }

  /** Whether the signature is valid under the roster's identity key for {@link #clientId()}. */
  public boolean verify(ClientRoster roster) {
    return roster.verifies(clientId, signedBytes(roundId, clientId, encryptionKey, maskingKey), signature);
  }

  static byte[] signedBytes(long roundId, int clientId, byte[] c, byte[] s) {
    return ByteBuffer.allocate(DOMAIN.length + 8 + 4 + 64).order(ByteOrder.LITTLE_ENDIAN)
        .put(DOMAIN).putLong(roundId).putInt(clientId).put(c).put(s).array();
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
    w.i32(clientId).bytes(encryptionKey).bytes(maskingKey).bytes(signature);
  }

  static KeyAdvertisement readBody(MessageReader r, long roundId) {
    int id = r.i32();
    return new KeyAdvertisement(roundId, id, r.bytes(32, "encryption key"), r.bytes(32, "masking key"),
        r.bytes(Ed25519.SIGNATURE_BYTES, "signature"));
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
        && java.util.Arrays.equals(a.signature, signature);
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
