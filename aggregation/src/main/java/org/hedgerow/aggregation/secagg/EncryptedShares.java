package org.hedgerow.aggregation.secagg;

import java.util.ArrayList;
import java.util.List;

/**
 * Stage 1, client → server: one sender's encrypted shares, one per live neighbour.
 *
 * <p>Encoding: header, {@code senderId (4) | count (4)}, then per share
 * {@code receiverId (4) | sealed (}{@value EncryptedShare#SEALED_BYTES}{@code )}.
 */
public record EncryptedShares(long roundId, int senderId, List<EncryptedShare> shares) implements SecAggMessage {
  private static final int ITEM_BYTES = 4 + EncryptedShare.SEALED_BYTES;

  public EncryptedShares {
    if (shares == null) {
      throw new MalformedMessageException("shares must not be null");
    }
    shares = List.copyOf(shares);
    for (EncryptedShare s : shares) {
      if (s.senderId() != senderId) {
        throw new MalformedMessageException("share from client " + s.senderId() + " inside the message of client " + senderId);
      }
    }
  }

  @Override
  public byte[] toBytes() {
    MessageWriter w = new MessageWriter(MessageType.ENCRYPTED_SHARES, roundId, 8 + (long) shares.size() * ITEM_BYTES);
    w.i32(senderId).i32(shares.size());
    for (EncryptedShare s : shares) {
      w.i32(s.receiverId()).bytes(s.sealedView());
    }
    return w.finish();
  }

  /** @throws MalformedMessageException if the bytes are not well formed */
  public static EncryptedShares fromBytes(byte[] bytes) {
    MessageReader r = new MessageReader(bytes, MessageType.ENCRYPTED_SHARES);
    int sender = r.i32();
    int count = r.count(ITEM_BYTES, "share");
    List<EncryptedShare> shares = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int receiver = r.i32();
      shares.add(new EncryptedShare(sender, receiver, r.bytes(EncryptedShare.SEALED_BYTES, "sealed share")));
    }
    r.finish();
    return new EncryptedShares(r.roundId(), sender, shares);
  }
}
