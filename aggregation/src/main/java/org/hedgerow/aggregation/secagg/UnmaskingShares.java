package org.hedgerow.aggregation.secagg;

import java.util.ArrayList;
import java.util.List;
import org.hedgerow.privacy.crypto.ShamirSecretSharing;

/**
 * Stage 3, client → server: the shares one surviving client reveals, exactly one per neighbour
 * that shared with it — never both kinds for the same neighbour.
 *
 * <p>Encoding: header, {@code clientId (4) | count (4)}, then per share
 * {@code ownerId (4) | kind (1) | y (33, big-endian)}.
 */
public record UnmaskingShares(long roundId, int clientId, List<RevealedShare> shares) implements SecAggMessage {
  private static final int ITEM_BYTES = 4 + 1 + ShamirSecretSharing.ELEMENT_BYTES;

  public UnmaskingShares {
    if (clientId < 0) {
      throw new MalformedMessageException("clientId must be >= 0. Provided value: " + clientId);
    }
    if (shares == null) {
      throw new MalformedMessageException("shares must not be null");
    }
    shares = List.copyOf(shares);
  }

  @Override
  public byte[] toBytes() {
    MessageWriter w = new MessageWriter(MessageType.UNMASKING_SHARES, roundId, 8 + (long) shares.size() * ITEM_BYTES);
    w.i32(clientId).i32(shares.size());
    for (RevealedShare s : shares) {
      w.i32(s.ownerId()).u8(s.kind().tag).bytes(ShamirSecretSharing.encodeElement(s.y()));
    }
    return w.finish();
  }

  /** @throws MalformedMessageException if the bytes are not well formed */
  public static UnmaskingShares fromBytes(byte[] bytes) {
    MessageReader r = new MessageReader(bytes, MessageType.UNMASKING_SHARES);
    int id = r.i32();
    int count = r.count(ITEM_BYTES, "share");
    List<RevealedShare> shares = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int owner = r.i32();
      ShareKind kind = ShareKind.of(r.u8());
      byte[] y = r.bytes(ShamirSecretSharing.ELEMENT_BYTES, "share value");
      try {
        shares.add(new RevealedShare(owner, kind, ShamirSecretSharing.decodeElement(y, 0)));
      } catch (IllegalArgumentException e) {
        throw new MalformedMessageException("share " + i + ": " + e.getMessage());
      }
    }
    r.finish();
    return new UnmaskingShares(r.roundId(), id, shares);
  }
}
