package org.hedgerow.coordinator.auth;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * PEM encoding of certificates, private keys (PKCS#8, unencrypted: file permissions protect them)
 * and certificate signing requests. Every reader names what it expected and what it found.
 */
public final class Pem {
  private Pem() {}

  /** A certificate as {@code -----BEGIN CERTIFICATE-----}. */
  public static String certificate(X509Certificate cert) {
    return write(cert);
  }

  /** A private key as PKCS#8 {@code -----BEGIN PRIVATE KEY-----} (the form Vert.x and OpenSSL read). */
  public static String privateKey(PrivateKey key) {
    try {
      return write(new JcaPKCS8Generator(key, null).generate());
    } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
      throw new IllegalArgumentException("cannot encode the private key as PKCS#8: " + e.getMessage(), e);
    }
  }

  /** A signing request as {@code -----BEGIN CERTIFICATE REQUEST-----}. */
  public static String csr(PKCS10CertificationRequest csr) {
    return write(csr);
  }

  /** The first object of {@code pem}, which must be a certificate. */
  public static X509Certificate readCertificate(String pem) {
    Object o = readObject(pem, "certificate");
    if (!(o instanceof X509CertificateHolder holder)) {
      throw new IllegalArgumentException("expected a PEM certificate, found " + describe(o));
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new IllegalArgumentException("the PEM certificate cannot be decoded: " + e.getMessage(), e);
    }
  }

  /** The first object of {@code pem}, which must be a private key (PKCS#8 or a traditional EC/RSA key pair). */
  public static PrivateKey readPrivateKey(String pem) {
    Object o = readObject(pem, "private key");
    try {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (o instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("the PEM private key cannot be decoded: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("expected an unencrypted PEM private key, found " + describe(o));
  }

  /** The first object of {@code pem}, which must be a PKCS#10 certificate signing request. */
  public static PKCS10CertificationRequest readCsr(String pem) {
    Object o = readObject(pem, "certificate signing request");
    if (!(o instanceof PKCS10CertificationRequest csr)) {
      throw new IllegalArgumentException("expected a PEM certificate signing request, found " + describe(o));
    }
    return csr;
  }

  private static Object readObject(String pem, String what) {
    if (pem == null || pem.isBlank()) {
      throw new IllegalArgumentException("expected a PEM " + what + ", found nothing");
    }
    Object o;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      o = parser.readObject();
    } catch (IOException | RuntimeException e) { // BouncyCastle throws both for bad base64 or DER
      throw new IllegalArgumentException("malformed PEM " + what + ": " + e.getMessage(), e);
    }
    if (o == null) {
      throw new IllegalArgumentException("expected a PEM " + what + ", found no PEM block");
    }
    return o;
  }

  private static String describe(Object o) {
    return o == null ? "nothing" : "a " + o.getClass().getSimpleName();
  }

  private static String write(Object o) {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new IllegalStateException("cannot PEM-encode " + describe(o) + ": " + e.getMessage(), e);
    }
    return s.toString();
  }
}
