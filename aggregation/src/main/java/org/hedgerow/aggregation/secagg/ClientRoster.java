package org.hedgerow.aggregation.secagg;

import java.util.ArrayList;
import java.util.List;
import org.hedgerow.privacy.crypto.Ed25519;

/**
 * The long-term Ed25519 identity keys of a round's clients, indexed by client id (0 … n−1) —
 * what enrolment established. Clients and server use it to check that each key advertisement
 * was signed by the client it names, so the server cannot substitute its own keys (a
 * man-in-the-middle) for a client's.
 */
public final class ClientRoster {
  private final List<byte[]> keys;

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
    return client >= 0 && client < keys.size() && Ed25519.verify(keys.get(client), message, signature);
  }
}
