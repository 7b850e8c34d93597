package org.hedgerow.aggregation.secagg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.hedgerow.privacy.crypto.Ed25519;

/**
 * Consistency round (Bonawitz et al. 2017, round 3), client → server: a surviving client's Ed25519
 * signature, with its identity key, over the survivor list the server sent it and the digest of the
 * neighbour graph it used ({@link NeighbourGraph#digest}: graph seed and roster):
 * {@code "hedgerow/secagg/v3/survivors" | roundId | graph digest (32) | count (4) | ids (4 each)}.
 *
 * <p>Every holder reveals unmasking shares only after seeing at least t valid signatures over the
 * list <em>it</em> signed, so a server that tells holders different survivor lists (to collect both
 * shares of one client) needs t signers behind each list.
 *
 * <p>Encoding: header, {@code clientId (4) | signature (64)}.
 */
public record SurvivorSignature(long roundId, int clientId, byte[] signature) implements SecAggMessage {
  static final int BODY_BYTES = 4 + Ed25519.SIGNATURE_BYTES;
  private static final byte[] DOMAIN = "hedgerow/secagg/v3/survivors".getBytes(StandardCharsets.UTF_8);

  public SurvivorSignature {
    if (clientId < 0) {
      throw new MalformedMessageException("clientId must be >= 0. Provided value: " + clientId);
    }
    signature = KeyAdvertisement.exact(signature, Ed25519.SIGNATURE_BYTES, "signature");
  }

  /** Signs {@code survivors} (sorted ids) for {@code clientId}. */
  static SurvivorSignature sign(long roundId, int clientId, int[] survivors, byte[] graphDigest,
      byte[] identityPrivateKey) {
    return new SurvivorSignature(roundId, clientId,
        Ed25519.sign(identityPrivateKey, signedBytes(roundId, survivors, graphDigest)));
  }

  /** Whether this is {@code clientId}'s valid signature over {@code survivors} and {@code graphDigest}. */
  boolean verify(ClientRoster roster, int[] survivors, byte[] graphDigest) {
    return roster.verifies(clientId, signedBytes(roundId, survivors, graphDigest), signature);
  }

  static byte[] signedBytes(long roundId, int[] survivors, byte[] graphDigest) {
    ByteBuffer b = ByteBuffer.allocate(DOMAIN.length + 8 + 32 + 4 + 4 * survivors.length).order(ByteOrder.LITTLE_ENDIAN)
        .put(DOMAIN).putLong(roundId).put(graphDigest).putInt(survivors.length);
    for (int id : survivors) {
      b.putInt(id);
    }
    return b.array();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public byte[] toBytes() {
    return new MessageWriter(MessageType.SURVIVOR_SIGNATURE, roundId, BODY_BYTES).i32(clientId).bytes(signature).finish();
  }

  /** @throws MalformedMessageException if the bytes are not well formed */
  public static SurvivorSignature fromBytes(byte[] bytes) {
    MessageReader r = new MessageReader(bytes, MessageType.SURVIVOR_SIGNATURE);
    int id = r.i32();
    byte[] sig = r.bytes(Ed25519.SIGNATURE_BYTES, "signature");
    r.finish();
    return new SurvivorSignature(r.roundId(), id, sig);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SurvivorSignature s && s.roundId == roundId && s.clientId == clientId
        && java.util.Arrays.equals(s.signature, signature);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "SurvivorSignature[round=" + roundId + ", client=" + clientId + "]";
  }
}
