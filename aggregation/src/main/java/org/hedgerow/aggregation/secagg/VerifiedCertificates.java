package org.hedgerow.aggregation.secagg;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client certificates whose signature a silo has already checked against its federation CA, by
 * SHA-256 of their DER, with what it read from them. A silo's certified identity key is stable
 * across rounds, so a silo that keeps one of these for its lifetime pays for parsing and verifying a
 * peer's certificate (an ECDSA P-256 verification, ~1 ms here) once, not every round.
 *
 * <p>Only the signature check is remembered: the validity period is checked again on every use
 * (against the dates read from the certificate), and so is everything that depends on the session
 * (the roster key it must equal, one client id per roster). Equal SHA-256 means equal bytes, so a
 * cached verdict applies to exactly the certificate that was verified. Bound to one CA; thread-safe.
 */
public final class VerifiedCertificates {
  /** Entries kept at most; beyond it the cache starts over (a federation far larger than any roster). */
  static final int MAX_ENTRIES = 100_000;

  /** What a verified certificate says. */
  record Entry(byte[] identityKey, String commonName, Date notBefore, Date notAfter) {}

  private final X509Certificate ca;
  private final ConcurrentHashMap<String, Entry> verified = new ConcurrentHashMap<>();

  public VerifiedCertificates(X509Certificate ca) {
    if (ca == null) {
      throw new IllegalArgumentException("ca must not be null");
    }
    this.ca = ca;
  }

  X509Certificate ca() {
    return ca;
  }

  /** Certificates remembered so far. */
  public int size() {
    return verified.size();
  }

  Entry lookup(byte[] der) {
    return verified.get(fingerprint(der));
  }

  void remember(byte[] der, Entry entry) {
    if (verified.size() >= MAX_ENTRIES) {
      verified.clear();
    }
    verified.put(fingerprint(der), entry);
  }

  private static String fingerprint(byte[] der) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
