package org.hedgerow.aggregation.secagg;

import java.util.ArrayList;
import java.util.List;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519PublicKey;

/**
 * The long-term Ed25519 identity keys of a round's clients, indexed by client id (0 … n−1) —
 * what enrolment established. Clients and server use it to check that each key advertisement
 * was signed by the client it names, so the server cannot substitute its own keys (a
 * man-in-the-middle) for a client's.
 */
public final class ClientRoster {
  private final List<byte[]> keys;
  /**
   * Decoded keys, filled on first use: a round verifies several signatures per key, and most of a
   * roster's keys may never be needed by one client. Racing fills write equal immutable values.
   */
  private final Ed25519PublicKey[] decoded;

  public ClientRoster(List<byte[]> identityKeys) {
    if (identityKeys == null || identityKeys.isEmpty()) {
      throw new IllegalArgumentException("identityKeys must not be null or empty");
    }
    List<byte[]> copy = new ArrayList<>(identityKeys.size());
    for (int i = 0; i < identityKeys.size(); i++) {
      byte[] k = identityKeys.get(i);
      if (k == null || k.length != Ed25519.KEY_BYTES) {
        throw new IllegalArgumentException("identity key of client " + i + " must be exactly 32 bytes");
      }
      copy.add(k.clone());
    }
    this.keys = List.copyOf(copy);
    this.decoded = new Ed25519PublicKey[copy.size()];
  }

  public int size() {
    return keys.size();
  }

  /** The identity public key of {@code client}. */
  public byte[] identityKey(int client) {
    if (client < 0 || client >= keys.size()) {
      throw new IllegalArgumentException(String.format(
          "client must be in [0, %d). Provided value: %d", keys.size(), client));
    }
    return keys.get(client).clone();
  }

  boolean verifies(int client, byte[] message, byte[] signature) {
    if (client < 0 || client >= keys.size()) {
      return false;
    }
    Ed25519PublicKey key = decoded[client];
    if (key == null) {
      key = Ed25519PublicKey.decodeOrNull(keys.get(client));
      if (key == null) {
        return false; // not a curve point: nothing verifies under it
      }
      decoded[client] = key;
    }
    return key.verify(message, signature);
  }
}
