package org.hedgerow.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.hedgerow.coordinator.auth.CredentialStore;
import org.hedgerow.coordinator.auth.EnrolledClient;
import org.hedgerow.coordinator.auth.EnrolmentToken;

/** An in-memory {@link CredentialStore} for the enrolment CLI test (one-time, expiring tokens). */
final class CredentialStoreFake implements CredentialStore {
  private final Map<String, EnrolmentToken> tokens = new HashMap<>();
  private final Set<String> used = new HashSet<>();
  private final Map<String, EnrolledClient> clients = new HashMap<>();

  @Override
  public synchronized void saveEnrolmentToken(EnrolmentToken token) {
    tokens.put(token.tokenHash(), token);
  }

  @Override
  public synchronized Optional<EnrolledClient> redeemEnrolmentToken(String tokenHash, Instant now,
      Function<String, EnrolledClient> enrol) {
    EnrolmentToken t = tokens.get(tokenHash);
    if (t == null || used.contains(tokenHash) || !now.isBefore(t.expiresAt())) {
      return Optional.empty();
    }
    EnrolledClient c = enrol.apply(t.clientId());
    used.add(tokenHash);
    clients.put(c.clientId(), c);
    return Optional.of(c);
  }

  @Override
  public synchronized Optional<EnrolledClient> clientByCertificateFingerprint(String fingerprint) {
    return clients.values().stream().filter(c -> fingerprint.equals(c.certificateFingerprint())).findFirst();
  }

  @Override
  public synchronized Optional<EnrolledClient> clientByBearerTokenHash(String tokenHash) {
    return clients.values().stream().filter(c -> tokenHash.equals(c.bearerTokenHash())).findFirst();
  }

  @Override
  public synchronized Optional<EnrolledClient> client(String clientId) {
    return Optional.ofNullable(clients.get(clientId));
  }

  @Override
  public synchronized List<EnrolledClient> clients() {
    return new ArrayList<>(clients.values());
  }

  @Override
  public synchronized boolean revoke(String clientId, Instant at) {
    EnrolledClient c = clients.get(clientId);
    if (c == null || c.revoked()) {
      return false;
    }
    clients.put(clientId, new EnrolledClient(clientId, c.certificateFingerprint(), c.bearerTokenHash(), c.enrolledAt(), at));
    return true;
  }
}
