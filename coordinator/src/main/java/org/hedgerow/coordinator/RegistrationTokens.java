package org.hedgerow.coordinator;

import org.hedgerow.coordinator.http.RejectedException;
import java.util.HashMap;
import java.util.Map;
import org.hedgerow.coordinator.auth.Tokens;

/**
 * Open registration's bearer tokens (development mode, without enrolment): the participant each one
 * was issued to, kept by the token's SHA-256 only, and which participant an {@code Authorization}
 * header names. Event loop only, like {@link Federation}.
 */
public final class RegistrationTokens {
  private final Map<String, Federation.Client> byHash = new HashMap<>();

  /** A fresh token (256 random bits); the caller keeps only {@link #hash} of it. */
  static String issue() {
    return Tokens.generate();
  }

  /** What is stored of {@code token}: its lower-case hex SHA-256. */
  static String hash(String token) {
    return Tokens.hash(token);
  }

  /** From now on the token whose hash is {@code tokenHash} identifies {@code client}. */
  void bind(String tokenHash, Federation.Client client) {
    byHash.put(tokenHash, client);
  }

  /** The client holding the bearer token of {@code authorization}, or a 401 naming what was wrong. */
  public Federation.Client authenticate(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      throw new RejectedException(401, "missing 'Authorization: Bearer <token>' header");
    }
    Federation.Client c = byHash.get(hash(authorization.substring("Bearer ".length()).trim()));
    if (c == null) {
      throw new RejectedException(401, "unknown client token");
    }
    return c;
  }
}
