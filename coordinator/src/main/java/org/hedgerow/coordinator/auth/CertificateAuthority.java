package org.hedgerow.coordinator.auth;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The federation's own certificate authority: it signs the coordinator's server certificate and
 * every enrolled silo's client certificate, and nothing else trusts it. Keys are ECDSA P-256,
 * signatures SHA256withECDSA, all through the JDK's providers (BouncyCastle only builds the ASN.1).
 */
public final class CertificateAuthority {
  /** Validity of a new CA. */
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  /** Validity of the server certificate issued at {@code coordinator init}. */
  public static final Duration SERVER_VALIDITY = Duration.ofDays(3 * 365);
  /** Default validity of a client certificate. */
  public static final Duration CLIENT_VALIDITY = Duration.ofDays(365);
  /** Certificates start this long before issuance, so a silo whose clock runs a little behind accepts them. */
  private static final Duration BACKDATE = Duration.ofMinutes(5);
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RNG = new SecureRandom();

  private final KeyAndCertificate ca;
  private final X500Name subject;

  /** A CA from its key and self-signed certificate (as {@link StateDirectory#load} reads them). */
  public CertificateAuthority(KeyAndCertificate ca) {
    this.ca = ca;
    this.subject = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
    if (ca.certificate().getBasicConstraints() < 0) {
      throw new IllegalArgumentException("the certificate " + ca.certificate().getSubjectX500Principal()
          + " is not a CA certificate (no basicConstraints CA:true)");
    }
  }

  /** A fresh CA named {@code CN=name}, valid for {@code validity}. */
  public static CertificateAuthority create(String name, Duration validity) {
    KeyPair kp = newKeyPair();
    X500Name subject = cn(name);
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(BACKDATE)),
          Date.from(now.plus(validity)), subject, kp.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      return new CertificateAuthority(new KeyAndCertificate(kp.getPrivate(), sign(b, kp.getPrivate())));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create the CA certificate: " + e.getMessage(), e);
    }
  }

  public KeyAndCertificate keyAndCertificate() {
    return ca;
  }

  public java.security.cert.X509Certificate certificate() {
    return ca.certificate();
  }

  /**
   * A server certificate (new key pair) for {@code localhost}, {@code 127.0.0.1} and {@code extraHosts}
   * (host names or IP literals), valid for {@code validity}.
   */
  public KeyAndCertificate issueServer(List<String> extraHosts, Duration validity) {
    Set<String> hosts = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
    hosts.addAll(extraHosts);
    KeyPair kp = newKeyPair();
    return new KeyAndCertificate(kp.getPrivate(), serverCertificate(kp.getPublic(), hosts, validity));
  }

  /** The subject of every coordinator server certificate. */
  public static final String SERVER_NAME = "hedgerow coordinator";

  /**
   * Signs the coordinator's server certificate request (offline CA): its self-signature must verify,
   * its subject must be {@code CN=}{@value #SERVER_NAME}, and it must ask, in an {@code extensionRequest},
   * for the host names and IP addresses the certificate will be valid for (DNS and IP names only).
   *
   * @throws IllegalArgumentException naming what is wrong with the request
   */
  public java.security.cert.X509Certificate signServer(PKCS10CertificationRequest csr, Duration validity) {
    PublicKey key = verifiedKey(csr);
    String cn = commonName(csr.getSubject());
    if (!SERVER_NAME.equals(cn) || csr.getSubject().getRDNs().length != 1) {
      throw new IllegalArgumentException("a coordinator's request must have the subject 'CN=" + SERVER_NAME
          + "'; this one has '" + csr.getSubject() + "'");
    }
    return serverCertificate(key, requestedHosts(csr), validity);
  }

  /** The DNS names and IP addresses a server certificate request asks for, in order. */
  public static Set<String> requestedHosts(PKCS10CertificationRequest csr) {
    Set<String> hosts = new LinkedHashSet<>();
    for (org.bouncycastle.asn1.pkcs.Attribute a : csr.getAttributes(
        org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
      GeneralNames names = GeneralNames.fromExtensions(
          org.bouncycastle.asn1.x509.Extensions.getInstance(a.getAttrValues().getObjectAt(0)),
          Extension.subjectAlternativeName);
      for (GeneralName n : names == null ? new GeneralName[0] : names.getNames()) {
        if (n.getTagNo() == GeneralName.dNSName) {
          hosts.add(org.bouncycastle.asn1.DERIA5String.getInstance(n.getName()).getString());
        } else if (n.getTagNo() == GeneralName.iPAddress) {
          try {
            hosts.add(InetAddress.getByAddress(org.bouncycastle.asn1.ASN1OctetString.getInstance(n.getName())
                .getOctets()).getHostAddress());
          } catch (UnknownHostException e) {
            throw new IllegalArgumentException("the request names an IP address of a wrong length", e);
          }
        } else {
          throw new IllegalArgumentException("the request asks for a subject alternative name of type " + n.getTagNo()
              + "; only DNS names and IP addresses are signed");
        }
      }
    }
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("the request names no host (no subjectAlternativeName in an extensionRequest)");
    }
    return hosts;
  }

  private java.security.cert.X509Certificate serverCertificate(PublicKey key, Set<String> hosts, Duration validity) {
    List<GeneralName> names = new ArrayList<>();
    for (String h : hosts) {
      if (h == null || h.isBlank() || h.contains(" ") || h.contains("/")) {
        throw new IllegalArgumentException("not a host name or IP address: '" + h + "'");
      }
      String t = h.trim();
      names.add(isIpLiteral(t) ? new GeneralName(GeneralName.iPAddress, t) : new GeneralName(GeneralName.dNSName, t));
    }
    try {
      X509v3CertificateBuilder b = leaf(cn(SERVER_NAME), key, validity)
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false,
              new GeneralNames(names.toArray(GeneralName[]::new)));
      return sign(b, ca.key());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue the server certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Signs a silo's certificate signing request. The CSR's own signature must verify (it proves the
   * silo holds the private key); its subject is ignored and replaced by {@code CN=clientId}, and the
   * certificate is good for TLS client authentication only.
   *
   * @throws IllegalArgumentException if the CSR's signature does not verify or its key is too weak
   */
  public java.security.cert.X509Certificate signClient(PKCS10CertificationRequest csr, String clientId,
      Duration validity) {
    return signClient(csr, clientId, null, validity);
  }

  /**
   * As above, also certifying the silo's Ed25519 {@code identityKey} (null: none) in the extension of
   * {@link org.hedgerow.aggregation.secagg.CertifiedIdentityKeys}. The caller must have checked the
   * silo's proof of possession ({@link #checkIdentityPossession}).
   */
  public java.security.cert.X509Certificate signClient(PKCS10CertificationRequest csr, String clientId,
      byte[] identityKey, Duration validity) {
    PublicKey key = verifiedKey(csr);
    try {
      X509v3CertificateBuilder b = leaf(cn(clientId), key, validity)
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      if (identityKey != null) {
        b.addExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier(
            org.hedgerow.aggregation.secagg.CertifiedIdentityKeys.OID), false,
            org.hedgerow.aggregation.secagg.CertifiedIdentityKeys.extensionValue(identityKey));
      }
      return sign(b, ca.key());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot sign the certificate for client '" + clientId + "': " + e.getMessage(), e);
    }
  }

  /**
   * Checks that {@code proof} is the Ed25519 signature, under {@code identityKey}, of
   * {@link org.hedgerow.aggregation.secagg.CertifiedIdentityKeys#possessionMessage} over the CSR's
   * public key: the silo holds the identity key and binds it to this request.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static void checkIdentityPossession(PKCS10CertificationRequest csr, byte[] identityKey, byte[] proof) {
    if (identityKey == null || identityKey.length != org.hedgerow.privacy.crypto.Ed25519.KEY_BYTES) {
      throw new IllegalArgumentException("identity_key must be the base64 of a 32-byte Ed25519 public key");
    }
    byte[] spki;
    try {
      spki = csr.getSubjectPublicKeyInfo().getEncoded();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("the certificate signing request's public key cannot be encoded", e);
    }
    if (proof == null || !org.hedgerow.privacy.crypto.Ed25519.verify(identityKey,
        org.hedgerow.aggregation.secagg.CertifiedIdentityKeys.possessionMessage(spki), proof)) {
      throw new IllegalArgumentException("identity_proof is not a valid signature of the certificate request's key "
          + "with identity_key: the silo must prove it holds the identity key it asks to have certified");
    }
  }

  /** The CSR's public key, after checking its self-signature and that the key is strong enough. */
  static PublicKey verifiedKey(PKCS10CertificationRequest csr) {
    PublicKey key;
    try {
      key = new JcaPKCS10CertificationRequest(csr).getPublicKey();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("the certificate signing request holds an unreadable public key: "
          + e.getMessage(), e);
    }
    boolean ok;
    try {
      ok = csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
    } catch (OperatorCreationException | PKCSException | RuntimeException e) {
      throw new IllegalArgumentException("the certificate signing request's signature cannot be checked: "
          + e.getMessage(), e);
    }
    if (!ok) {
      throw new IllegalArgumentException("the certificate signing request's signature does not verify");
    }
    if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      if (bits < 256) {
        throw new IllegalArgumentException("the CSR's EC key has " + bits + " bits; at least 256 are needed");
      }
    } else if (key instanceof RSAPublicKey rsa) {
      if (rsa.getModulus().bitLength() < 2048) {
        throw new IllegalArgumentException("the CSR's RSA key has " + rsa.getModulus().bitLength()
            + " bits; at least 2048 are needed");
      }
    } else {
      throw new IllegalArgumentException("the CSR's key must be EC or RSA, not " + key.getAlgorithm());
    }
    return key;
  }

  /** A fresh ECDSA P-256 key pair. */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RNG);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate P-256 keys", e);
    }
  }

  private X509v3CertificateBuilder leaf(X500Name name, PublicKey key, Duration validity)
      throws GeneralSecurityException, CertIOException {
    if (validity == null || validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("certificate validity must be positive. Provided value: " + validity);
    }
    Instant now = Instant.now();
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    return new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(BACKDATE)),
        Date.from(now.plus(validity)), name, key)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
        .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key))
        .addExtension(Extension.authorityKeyIdentifier, false,
            ext.createAuthorityKeyIdentifier(ca.certificate().getPublicKey()));
  }

  private static java.security.cert.X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot build a " + SIGNATURE + " signer: " + e.getMessage(), e);
    }
  }

  private static X500Name cn(String name) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
  }

  /** Random positive serial of at most 20 octets (RFC 5280 §4.1.2.2). */
  private static BigInteger serial() {
    return new BigInteger(159, RNG).add(BigInteger.ONE);
  }

  private static boolean isIpLiteral(String h) {
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false;
    }
    try {
      InetAddress.getByName(h); // a literal never triggers a DNS look-up
      return true;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not a valid IP address: '" + h + "'", e);
    }
  }

  /** The CN of a certificate's subject (a client certificate's client id), or null. */
  public static String commonName(java.security.cert.X509Certificate cert) {
    return commonName(X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()));
  }

  /** The first CN of a name, or null. */
  public static String commonName(X500Name n) {
    var rdns = n.getRDNs(BCStyle.CN);
    return rdns.length == 0 ? null : rdns[0].getFirst().getValue().toString();
  }
}
