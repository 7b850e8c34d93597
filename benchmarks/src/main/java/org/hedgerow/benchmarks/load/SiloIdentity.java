package org.hedgerow.benchmarks.load;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * One simulated silo's TLS identity: its own ECDSA P-256 key (never leaves this object), the CSR it
 * sends with its enrolment token, and, once the CA signed it, the client TLS options that present its
 * certificate. Loopback benchmark material only.
 */
final class SiloIdentity {
  private static final SecureRandom RNG = new SecureRandom();
  private final String clientId;
  private final KeyPair keys;
  private final String csrPem;

  private SiloIdentity(String clientId, KeyPair keys, String csrPem) {
    this.clientId = clientId;
    this.keys = keys;
    this.csrPem = csrPem;
  }

  static SiloIdentity generate(String clientId) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RNG);
    KeyPair kp = g.generateKeyPair();
    PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + clientId),
        kp.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(csr);
    }
    return new SiloIdentity(clientId, kp, w.toString());
  }

  String csrPem() {
    return csrPem;
  }

  /**
   * TLS options presenting {@code certificatePem} (issued for this silo's key) and trusting
   * {@code trust}. The key manager is built here, in untimed set-up, as a silo process does once
   * when it loads its credentials; Vert.x then only wraps it in an SSL context.
   */
  ClientSSLOptions sslOptions(String certificatePem, TrustOptions trust) {
    try {
      Certificate cert = CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
      if (!cert.getPublicKey().equals(keys.getPublic())) {
        throw new IllegalStateException("the CA returned a certificate for another key than " + clientId + "'s");
      }
      char[] password = new char[0];
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(clientId, keys.getPrivate(), password, new Certificate[] {cert});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      return new ClientSSLOptions()
          .setKeyCertOptions(KeyCertOptions.wrap(kmf))
          .setTrustOptions(trust)
          .setHostnameVerificationAlgorithm("HTTPS") // the server certificate names 127.0.0.1
          .setEnabledSecureTransportProtocols(Set.of("TLSv1.3", "TLSv1.2"))
          .setSslHandshakeTimeout(300)
          .setSslHandshakeTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build the TLS identity of " + clientId + ": " + e.getMessage(), e);
    }
  }
}
