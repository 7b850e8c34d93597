package org.hedgerow.coordinator.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Bearer and enrolment tokens: 256 random bits, base64url without padding. The coordinator keeps
 * only their SHA-256 (a 256-bit random secret needs no slow hash), so a stolen store or memory dump
 * of hashes does not let anyone authenticate.
 */
public final class Tokens {
  private static final SecureRandom RNG = new SecureRandom();

  private Tokens() {}

  /** A fresh token. */
  public static String generate() {
    byte[] b = new byte[32];
    RNG.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Lower-case hex SHA-256 of the token's UTF-8 bytes (what {@link EnrolmentToken} and the store hold). */
  public static String hash(String token) {
    return Fingerprints.sha256Hex(token.getBytes(StandardCharsets.UTF_8));
  }

  /** Compares two hex hashes in time independent of where they differ. */
  public static boolean hashesEqual(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }
}
