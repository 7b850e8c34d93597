package org.hedgerow.aggregation.secagg;

import java.util.ArrayList;
import java.util.List;

/**
 * Stage 1 → 2, server → one client: the encrypted shares addressed to {@code receiverId} by
 * neighbours that completed stage 1. The set of senders tells the receiver which neighbours it
 * must mask with.
 *
 * <p>Encoding: header, {@code receiverId (4) | count (4)}, then per share
 * {@code senderId (4) | sealed (}{@value EncryptedShare#SEALED_BYTES}{@code )}.
 */
public record ShareBundle(long roundId, int receiverId, List<EncryptedShare> shares) implements SecAggMessage {
  private static final int ITEM_BYTES = 4 + EncryptedShare.SEALED_BYTES;

  public ShareBundle {
    if (shares == null) {
      throw new MalformedMessageException("shares must not be null");
    }
    shares = List.copyOf(shares);
    for (EncryptedShare s : shares) {
      if (s.receiverId() != receiverId) {
        throw new MalformedMessageException("share for client " + s.receiverId() + " inside the bundle of client " + receiverId);
      }
    }
  }

  @Override
  public byte[] toBytes() {
    MessageWriter w = new MessageWriter(MessageType.SHARE_BUNDLE, roundId, 8 + (long) shares.size() * ITEM_BYTES);
    w.i32(receiverId).i32(shares.size());
    for (EncryptedShare s : shares) {
      w.i32(s.senderId()).bytes(s.sealedView());
    }
    return w.finish();
  }

  /** @throws MalformedMessageException if the bytes are not well formed */
  public static ShareBundle fromBytes(byte[] bytes) {
    MessageReader r = new MessageReader(bytes, MessageType.SHARE_BUNDLE);
    int receiver = r.i32();
    int count = r.count(ITEM_BYTES, "share");
    List<EncryptedShare> shares = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int sender = r.i32();
      shares.add(new EncryptedShare(sender, receiver, r.bytes(EncryptedShare.SEALED_BYTES, "sealed share")));
    }
    r.finish();
    return new ShareBundle(r.roundId(), receiver, shares);
  }
}
