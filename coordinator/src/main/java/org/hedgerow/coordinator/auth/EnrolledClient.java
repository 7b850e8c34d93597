package org.hedgerow.coordinator.auth;

import java.time.Instant;

/**
 * A silo that redeemed an enrolment token.
 *
 * @param clientId its id (also the CN of its certificate)
 * @param certificateFingerprint lower-case hex SHA-256 of its certificate's DER encoding; null when
 *     the coordinator runs without TLS and the client holds a bearer token instead
 * @param bearerTokenHash lower-case hex SHA-256 of its bearer token (TLS-off mode only), else null
 * @param enrolledAt when it enrolled
 * @param revokedAt when the operator revoked it, or null
 */
public record EnrolledClient(String clientId, String certificateFingerprint, String bearerTokenHash,
    Instant enrolledAt, Instant revokedAt) {
  public boolean revoked() {
    return revokedAt != null;
  }
}
