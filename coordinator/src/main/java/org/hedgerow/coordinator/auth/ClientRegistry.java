package org.hedgerow.coordinator.auth;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The enrolled clients in memory, indexed by certificate fingerprint and bearer-token hash, so that
 * authenticating a request never touches the database. Loaded from the {@link CredentialStore} at
 * start and updated write-through: whoever changes a client in the store (enrolment, revocation)
 * calls {@link #put} with the stored record right after the store returns.
 *
 * <p>The cache is per process: a second coordinator process on the same store would not see this
 * one's revocations until it restarts.
 */
public final class ClientRegistry {
  private final Map<String, EnrolledClient> byId = new ConcurrentHashMap<>();
  private final Map<String, EnrolledClient> byFingerprint = new ConcurrentHashMap<>();
  private final Map<String, EnrolledClient> byBearerHash = new ConcurrentHashMap<>();

  /** Every client of {@code store} (blocking: call it off the event loop, e.g. at start). */
  public static ClientRegistry load(CredentialStore store) {
    ClientRegistry r = new ClientRegistry();
    store.clients().forEach(r::put);
    return r;
  }

  /** Adds or replaces the client with this id (a re-enrolled client's old certificate stops working). */
  public synchronized void put(EnrolledClient client) {
    EnrolledClient old = byId.put(client.clientId(), client);
    if (old != null) {
      if (old.certificateFingerprint() != null) {
        byFingerprint.remove(old.certificateFingerprint(), old);
      }
      if (old.bearerTokenHash() != null) {
        byBearerHash.remove(old.bearerTokenHash(), old);
      }
    }
    if (client.certificateFingerprint() != null) {
      byFingerprint.put(client.certificateFingerprint(), client);
    }
    if (client.bearerTokenHash() != null) {
      byBearerHash.put(client.bearerTokenHash(), client);
    }
  }

  public Optional<EnrolledClient> byFingerprint(String fingerprint) {
    return Optional.ofNullable(byFingerprint.get(fingerprint));
  }

  public Optional<EnrolledClient> byBearerTokenHash(String hash) {
    return Optional.ofNullable(byBearerHash.get(hash));
  }

  public Optional<EnrolledClient> byId(String clientId) {
    return Optional.ofNullable(byId.get(clientId));
  }

  /** Every client, revoked ones included, by id. */
  public List<EnrolledClient> all() {
    return byId.values().stream().sorted(Comparator.comparing(EnrolledClient::clientId)).toList();
  }
}
