package org.hedgerow.aggregation.secagg;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.hedgerow.privacy.crypto.Ed25519;

/**
 * Identity keys certified at enrolment. A silo's Ed25519 identity key (the key that signs its
 * secure-aggregation advertisements and survivor lists) is carried in its mutual-TLS client
 * certificate as a non-critical extension {@value #OID} whose value is an OCTET STRING of the 32-byte
 * key; the federation CA puts it there only after the certificate request proves possession of the
 * key ({@link #possessionMessage}). A certificate thus binds client id (CN), TLS key and identity key
 * under the CA's signature, and any party holding the CA certificate can check a roster entry
 * without trusting the coordinator's word.
 *
 * <p>The OID is under {@code 2.25} (an OID from a UUID, ITU-T X.667), so it needs no registration.
 */
public final class CertifiedIdentityKeys {
  /** {@code 2.25.<UUID 8e0b6d0c-5a1f-4b7e-9c3d-2f6a1e4b7c90 as an integer>}. */
  public static final String OID = "2.25." + new java.math.BigInteger(1,
      HexFormat.of().parseHex("8e0b6d0c5a1f4b7e9c3d2f6a1e4b7c90"));
  private static final byte[] POSSESSION_DOMAIN = "hedgerow/identity-key-possession/v1".getBytes(StandardCharsets.UTF_8);

  private CertifiedIdentityKeys() {}

  /** The DER of the extension's value: an OCTET STRING holding the 32-byte identity key. */
  public static byte[] extensionValue(byte[] identityKey) {
    requireKey(identityKey);
    try {
      return new DEROctetString(identityKey).getEncoded();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot encode the identity-key extension", e);
    }
  }

  /** The identity key in {@code certificate}'s extension, or null if it carries none. */
  public static byte[] identityKeyOf(X509Certificate certificate) {
    byte[] wrapped = certificate.getExtensionValue(OID); // DER OCTET STRING around the extension's value
    if (wrapped == null) {
      return null;
    }
    try {
      byte[] value = ASN1OctetString.getInstance(ASN1OctetString.getInstance(wrapped).getOctets()).getOctets();
      return value.length == Ed25519.KEY_BYTES ? value : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * What the silo signs with its identity key to prove it holds it when it asks for a certificate:
   * a domain tag and SHA-256 of the DER SubjectPublicKeyInfo of its TLS key, which binds the identity
   * key to that one certificate request.
   */
  public static byte[] possessionMessage(byte[] tlsSubjectPublicKeyInfo) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(tlsSubjectPublicKeyInfo);
      return ByteBuffer.allocate(POSSESSION_DOMAIN.length + h.length).put(POSSESSION_DOMAIN).put(h).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** Parses a DER certificate. @throws ProtocolViolationException if it is not one */
  public static X509Certificate parse(byte[] der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new ProtocolViolationException("credential is not an X.509 certificate: " + e.getMessage(), e);
    }
  }

  /**
   * A check against the federation CA: each client's credential must be a certificate signed by
   * {@code ca}, valid now, whose identity-key extension equals the roster key; no client id (CN) may
   * certify two roster entries. Make one per session (it remembers the client ids it saw).
   */
  public static IdentityCertification federationCa(X509Certificate ca) {
    return federationCa(new VerifiedCertificates(ca));
  }

  /**
   * As above, remembering across sessions which certificates' signatures were already verified (a silo
   * keeps one {@link VerifiedCertificates} for its lifetime; validity and the roster key are checked on
   * every use). Make one check per session.
   */
  public static IdentityCertification federationCa(VerifiedCertificates verified) {
    if (verified == null) {
      throw new IllegalArgumentException("verified must not be null");
    }
    Map<String, Integer> seen = new HashMap<>();
    return (client, identityKey, credential) -> {
      if (credential == null) {
        throw new ProtocolViolationException("client " + client + "'s identity key comes with no certificate from the "
            + "federation CA: refusing a roster this silo cannot check (a coordinator substituting keys would look the same)");
      }
      VerifiedCertificates.Entry entry = verified.lookup(credential);
      if (entry == null) {
        X509Certificate cert = parse(credential);
        try {
          cert.verify(verified.ca().getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
          throw new ProtocolViolationException("client " + client + "'s certificate is not signed by the federation CA ("
              + e.getMessage() + "): refusing the session", e);
        }
        entry = new VerifiedCertificates.Entry(identityKeyOf(cert), commonName(cert.getSubjectX500Principal()),
            cert.getNotBefore(), cert.getNotAfter());
        verified.remember(credential, entry);
      }
      java.util.Date now = new java.util.Date();
      if (now.before(entry.notBefore()) || now.after(entry.notAfter())) {
        throw new ProtocolViolationException("client " + client + "'s certificate is not valid now: valid from "
            + entry.notBefore() + " to " + entry.notAfter());
      }
      byte[] certified = entry.identityKey();
      String who = entry.commonName();
      if (certified == null) {
        throw new ProtocolViolationException("client " + client + " ('" + who + "') has a certificate without a certified "
            + "identity key (enrolled before identity keys were certified? re-enrol it): refusing the session");
      }
      if (!MessageDigest.isEqual(certified, identityKey)) {
        throw new ProtocolViolationException("the roster's identity key of client " + client + " ('" + who + "') is "
            + HexFormat.of().formatHex(identityKey) + ", but the federation CA certified "
            + HexFormat.of().formatHex(certified) + ": key substitution, refusing the session");
      }
      Integer earlier = seen.putIfAbsent(who, client);
      if (earlier != null && earlier != client) {
        throw new ProtocolViolationException("clients " + earlier + " and " + client + " are both certified as '" + who
            + "': one silo listed twice, refusing the session");
      }
    };
  }

  private static String commonName(X500Principal p) {
    for (String part : p.getName(X500Principal.RFC2253).split(",")) {
      if (part.startsWith("CN=")) {
        return part.substring(3);
      }
    }
    return p.getName();
  }

  private static void requireKey(byte[] key) {
    if (key == null || key.length != Ed25519.KEY_BYTES) {
      throw new IllegalArgumentException("identity key must be exactly 32 bytes");
    }
  }
}
