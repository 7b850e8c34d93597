package org.hedgerow.coordinator.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.HexFormat;

/** SHA-256 fingerprints: how the coordinator recognises a client certificate without a database hit. */
public final class Fingerprints {
  private Fingerprints() {}

  /** Lower-case hex SHA-256 of the certificate's DER encoding (what {@code openssl x509 -fingerprint -sha256} shows). */
  public static String sha256(Certificate cert) {
    try {
      return sha256Hex(cert.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("cannot DER-encode the certificate: " + e.getMessage(), e);
    }
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
