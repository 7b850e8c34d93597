package org.hedgerow.aggregation.secagg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Stage 0 → 1, server → every client: all signed key advertisements that arrived in time, sorted
 * by client id, and optionally, per advertisement, the credential that certifies its sender's
 * identity key (in service mode the sender's mutual-TLS client certificate, DER, carrying the
 * identity key the federation CA certified; see {@link IdentityCertification}). The client checks
 * every signature and credential itself; the server is only a relay.
 *
 * <p>Protocol v3: the neighbour graph no longer depends on the directory ({@link NeighbourGraph}), so
 * each client checks only its neighbours' entries and ignores the rest.
 *
 * <p>Encoding: header, {@code count (4)}, then per advertisement
 * {@code clientId (4) | c^PK (32) | s^PK (32) | H(b) (32) | signature (64)} (round id from the header),
 * then {@code credentialCount (4)} (0 or count) and per credential {@code length (4) | bytes}.
 */
public record KeyDirectory(long roundId, List<KeyAdvertisement> advertisements, List<byte[]> credentials)
    implements SecAggMessage {
  /** Largest credential (a client certificate) accepted. */
  public static final int MAX_CREDENTIAL_BYTES = 16 * 1024;

  public KeyDirectory {
    if (advertisements == null || credentials == null) {
      throw new MalformedMessageException("advertisements and credentials must not be null");
    }
    advertisements = List.copyOf(advertisements);
    for (KeyAdvertisement a : advertisements) {
      if (a.roundId() != roundId) {
        throw new ProtocolViolationException(String.format(
            "advertisement of client %d is for round %d, not round %d", a.clientId(), a.roundId(), roundId));
      }
    }
    if (!credentials.isEmpty() && credentials.size() != advertisements.size()) {
      throw new MalformedMessageException(String.format(
          "a directory carries no credentials or one per advertisement: %d credentials for %d advertisements",
          credentials.size(), advertisements.size()));
    }
    List<byte[]> copy = new ArrayList<>(credentials.size());
    for (byte[] c : credentials) {
      if (c == null || c.length > MAX_CREDENTIAL_BYTES) {
        throw new MalformedMessageException("a credential must be present and at most " + MAX_CREDENTIAL_BYTES + " bytes");
      }
      copy.add(c.clone());
    }
    credentials = List.copyOf(copy);
  }

  /** A directory without credentials (open registration: identity keys are trusted on first use). */
  public KeyDirectory(long roundId, List<KeyAdvertisement> advertisements) {
    this(roundId, advertisements, List.of());
  }

  /** The credential of the {@code i}-th advertisement, or null if the directory carries none. */
  public byte[] credential(int i) {
    return credentials.isEmpty() ? null : credentials.get(i).clone();
  }

  @Override
  public byte[] toBytes() {
    long credentialBytes = 4;
    for (byte[] c : credentials) {
      credentialBytes += 4 + c.length;
    }
    MessageWriter w = new MessageWriter(MessageType.KEY_DIRECTORY, roundId,
        4 + (long) advertisements.size() * KeyAdvertisement.BODY_BYTES + credentialBytes);
    w.i32(advertisements.size());
    for (KeyAdvertisement a : advertisements) {
      a.writeBody(w);
    }
    w.i32(credentials.size());
    for (byte[] c : credentials) {
      w.i32(c.length).bytes(c);
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
    int credentialCount = r.count(4, "credential");
    List<byte[]> credentials = new ArrayList<>(credentialCount);
    for (int i = 0; i < credentialCount; i++) {
      int length = r.count(1, "credential byte");
      if (length > MAX_CREDENTIAL_BYTES) {
        throw new MalformedMessageException("credential " + i + " is " + length + " bytes, over the limit of "
            + MAX_CREDENTIAL_BYTES);
      }
      credentials.add(r.bytes(length, "credential"));
    }
    r.finish();
    return new KeyDirectory(r.roundId(), ads, credentials);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof KeyDirectory d) || d.roundId != roundId || !d.advertisements.equals(advertisements)
        || d.credentials.size() != credentials.size()) {
      return false;
    }
    for (int i = 0; i < credentials.size(); i++) {
      if (!Arrays.equals(d.credentials.get(i), credentials.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return advertisements.hashCode();
  }
}
