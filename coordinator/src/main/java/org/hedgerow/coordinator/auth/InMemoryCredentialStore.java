package org.hedgerow.coordinator.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A {@link CredentialStore} in memory with the database store's semantics (one-time tokens, expiry,
 * replace on re-enrol), for tests of enrolment without a database. Nothing survives the process:
 * never use it for a real coordinator. It lives in main rather than in a test-jar so that the cli
 * module's tests can use it too (a test-jar is only resolvable within a reactor build that packages it).
 */
public final class InMemoryCredentialStore implements CredentialStore {
  private final Map<String, EnrolmentToken> tokens = new HashMap<>();
  private final Map<String, Boolean> used = new HashMap<>();
  private final Map<String, EnrolledClient> clients = new HashMap<>();

  @Override
  public synchronized void saveEnrolmentToken(EnrolmentToken token) {
    tokens.put(token.tokenHash(), token);
    used.put(token.tokenHash(), false);
  }

  @Override
  public synchronized Optional<EnrolledClient> redeemEnrolmentToken(String tokenHash, Instant now,
      Function<String, EnrolledClient> enrol) {
    EnrolmentToken t = tokens.get(tokenHash);
    if (t == null || used.get(tokenHash) || !now.isBefore(t.expiresAt())) {
      return Optional.empty();
    }
    EnrolledClient c = enrol.apply(t.clientId()); // may throw: then nothing changes
    used.put(tokenHash, true);
    clients.put(c.clientId(), c);
    return Optional.of(c);
  }

  @Override
  public synchronized boolean enrolmentTokenUsable(String tokenHash, Instant now) {
    EnrolmentToken t = tokens.get(tokenHash);
    return t != null && !used.get(tokenHash) && now.isBefore(t.expiresAt());
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
    List<EnrolledClient> all = new ArrayList<>(clients.values());
    all.sort(Comparator.comparing(EnrolledClient::clientId));
    return all;
  }

  @Override
  public synchronized boolean revoke(String clientId, Instant at) {
    EnrolledClient c = clients.get(clientId);
    if (c == null || c.revoked()) {
      return false;
    }
    clients.put(clientId, new EnrolledClient(c.clientId(), c.certificateFingerprint(), c.bearerTokenHash(),
        c.enrolledAt(), at));
    return true;
  }

  /** Tokens issued and not yet redeemed. */
  public synchronized int unusedTokens() {
    return (int) used.values().stream().filter(u -> !u).count();
  }
}
