package org.hedgerow.cli.bench;

import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.hedgerow.coordinator.auth.CertificateAuthority;

/**
 * The coordinator's own federation CA issuing the bench's silos real client certificates that
 * certify their identity keys (ECDSA P-256, as at enrolment), so the bench's certificate checks cost
 * what a deployment's do. Set-up only: not part of any measured time.
 */
final class BenchFederationCa {
  private final CertificateAuthority ca = CertificateAuthority.create("hedgerow bench federation CA", Duration.ofDays(1));

  java.security.cert.X509Certificate certificate() {
    return ca.certificate();
  }

  /** A client certificate for silo {@code clientId} certifying {@code identityKey}, DER. */
  byte[] issue(String clientId, byte[] identityKey) {
    KeyPair tls = CertificateAuthority.newKeyPair();
    try {
      var csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + clientId), tls.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(tls.getPrivate()));
      return ca.signClient(csr, clientId, identityKey, Duration.ofDays(1)).getEncoded();
    } catch (OperatorCreationException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot issue the bench certificate of " + clientId + ": " + e.getMessage(), e);
    }
  }
}
