package org.hedgerow.coordinator.auth;

import java.time.Instant;

/**
 * A one-time token the operator issued for one silo. Only the SHA-256 of the token is stored, so a
 * stolen store does not let anyone enrol.
 *
 * @param tokenHash lower-case hex SHA-256 of the token's UTF-8 bytes
 * @param clientId the client id the token enrols
 * @param issuedAt when it was issued
 * @param expiresAt after this instant it is refused
 */
public record EnrolmentToken(String tokenHash, String clientId, Instant issuedAt, Instant expiresAt) {}
