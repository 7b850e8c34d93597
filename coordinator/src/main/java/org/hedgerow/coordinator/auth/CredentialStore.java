package org.hedgerow.coordinator.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Durable enrolment state. Implemented by the coordinator's database store (SQLite/PostgreSQL);
 * every method is blocking (call it off the event loop) and durable when it returns.
 */
public interface CredentialStore {
  /** Records a freshly issued enrolment token (a client id may hold several; each works once). */
  void saveEnrolmentToken(EnrolmentToken token);

  /**
   * In one transaction: finds the unused, unexpired token with this hash, builds the client record
   * with {@code enrol} (given the token's client id), marks the token used and saves (or replaces)
   * the client. Empty, with nothing changed, if the token is unknown, used or expired, or if
   * {@code enrol} throws (the exception then propagates).
   */
  Optional<EnrolledClient> redeemEnrolmentToken(String tokenHash, Instant now,
      Function<String, EnrolledClient> enrol);

  /**
   * Whether a token with this hash exists, unused and unexpired: a cheap check made before a
   * certificate request is parsed (redeeming checks again, atomically).
   */
  boolean enrolmentTokenUsable(String tokenHash, Instant now);

  Optional<EnrolledClient> clientByCertificateFingerprint(String fingerprint);

  Optional<EnrolledClient> clientByBearerTokenHash(String tokenHash);

  Optional<EnrolledClient> client(String clientId);

  /** Every enrolled client, revoked ones included, by id. */
  List<EnrolledClient> clients();

  /** Marks the client revoked; false if there is no such client or it already was. */
  boolean revoke(String clientId, Instant at);
}
