package org.hedgerow.aggregation.secagg;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A federation CA for tests: issues client certificates that certify an Ed25519 identity key the
 * way the coordinator's CA does at enrolment (real ECDSA P-256 certificates, real signatures).
 */
final class TestFederationCa {
  private static final SecureRandom RANDOM = new SecureRandom();
  final KeyPair keys;
  final X509Certificate certificate;

  TestFederationCa(String name) {
    try {
      keys = newKeyPair();
      X500Name subject = new X500Name("CN=" + name);
      Instant now = Instant.now();
      certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject,
          BigInteger.valueOf(RANDOM.nextInt(Integer.MAX_VALUE)), Date.from(now.minusSeconds(60)),
          Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client certificate for {@code clientId} certifying {@code identityKey} (null: no extension). */
  byte[] issue(String clientId, byte[] identityKey) {
    return issue(clientId, identityKey, Duration.ofDays(1));
  }

  byte[] issue(String clientId, byte[] identityKey, Duration validity) {
    try {
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + certificate
          .getSubjectX500Principal().getName().substring(3)), BigInteger.valueOf(RANDOM.nextInt(Integer.MAX_VALUE)),
          Date.from(now.minusSeconds(60)), Date.from(now.plus(validity)), new X500Name("CN=" + clientId),
          newKeyPair().getPublic());
      if (identityKey != null) {
        b.addExtension(new ASN1ObjectIdentifier(CertifiedIdentityKeys.OID), false,
            CertifiedIdentityKeys.extensionValue(identityKey));
      }
      return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair newKeyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }
}
