package org.hedgerow.aggregation.secagg;

import java.util.ArrayList;
import java.util.List;

/**
 * Stage 0 → 1, server → one client: the signed key advertisements of that client's neighbours
 * that arrived in time. The client checks every signature itself; the server is only a relay.
 *
 * <p>Encoding: header, {@code count (4)}, then per advertisement
 * {@code clientId (4) | c^PK (32) | s^PK (32) | signature (64)} (round id from the header).
 */
public record KeyDirectory(long roundId, List<KeyAdvertisement> advertisements) implements SecAggMessage {
  public KeyDirectory {
    if (advertisements == null) {
      throw new MalformedMessageException("advertisements must not be null");
    }
    advertisements = List.copyOf(advertisements);
    for (KeyAdvertisement a : advertisements) {
      if (a.roundId() != roundId) {
        throw new ProtocolViolationException(String.format(
            "advertisement of client %d is for round %d, not round %d", a.clientId(), a.roundId(), roundId));
      }
    }
  }

  @Override
  public byte[] toBytes() {
    MessageWriter w = new MessageWriter(MessageType.KEY_DIRECTORY, roundId,
        4 + (long) advertisements.size() * KeyAdvertisement.BODY_BYTES);
    w.i32(advertisements.size());
    for (KeyAdvertisement a : advertisements) {
      a.writeBody(w);
    }
    return w.finish();
  }

  /** @throws MalformedMessageException if the bytes are not a well-formed directory */
  public static KeyDirectory fromBytes(byte[] bytes) {
    MessageReader r = new MessageReader(bytes, MessageType.KEY_DIRECTORY);
    int count = r.count(KeyAdvertisement.BODY_BYTES, "advertisement");
    List<KeyAdvertisement> ads = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ads.add(KeyAdvertisement.readBody(r, r.roundId()));
    }
    r.finish();
    return new KeyDirectory(r.roundId(), ads);
  }
}
