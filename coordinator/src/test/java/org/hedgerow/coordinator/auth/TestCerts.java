package org.hedgerow.coordinator.auth;

import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.net.Socket;
import java.security.Principal;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** What a silo does on its side, for the coordinator's tests: CSRs and TLS contexts. */
public final class TestCerts {
  private TestCerts() {}

  public static PKCS10CertificationRequest csr(KeyPair kp, String subject) throws Exception {
    return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + subject), kp.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
  }

  /**
   * A silo's request for an offline CA as {@code hedgerow enrol --csr-out} makes it: subject {@code subject},
   * asking to certify {@code identity} (null: none), with a proof of possession signed by {@code prover} over
   * {@code provenTlsKey} (null prover: no proof). A valid request has {@code prover == identity} and
   * {@code provenTlsKey} the request's own TLS key.
   */
  public static String offlineRequest(String subject, KeyPair tls,
      org.hedgerow.privacy.crypto.Ed25519KeyPair identity, org.hedgerow.privacy.crypto.Ed25519KeyPair prover,
      byte[] provenTlsKey) throws Exception {
    JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject),
        tls.getPublic());
    if (identity != null) {
      b.addAttribute(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
          org.hedgerow.aggregation.secagg.IdentityKeyRequest.extensionRequest(identity.publicKey()));
    }
    if (prover != null) {
      byte[] proof = org.hedgerow.privacy.crypto.Ed25519.sign(prover.privateKey(),
          org.hedgerow.aggregation.secagg.CertifiedIdentityKeys.possessionMessage(provenTlsKey));
      b.addAttribute(new org.bouncycastle.asn1.ASN1ObjectIdentifier(
          org.hedgerow.aggregation.secagg.IdentityKeyRequest.PROOF_OID),
          org.hedgerow.aggregation.secagg.IdentityKeyRequest.proof(proof));
    }
    return Pem.csr(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(tls.getPrivate())));
  }

  /** A valid offline request of {@code clientId} for {@code tls}, certifying {@code identity}. */
  public static String offlineRequest(String clientId, KeyPair tls, org.hedgerow.privacy.crypto.Ed25519KeyPair identity)
      throws Exception {
    return offlineRequest("CN=" + clientId, tls, identity, identity, tls.getPublic().getEncoded());
  }

  /**
   * A forger's client certificate: {@code CN=clientId} for {@code subject}'s key, certifying {@code identityKey},
   * issued in the name {@code issuer} and signed with {@code signer} (whatever private key the forger holds).
   */
  public static X509Certificate forgedClientCertificate(String issuer, PrivateKey signer, String clientId,
      KeyPair subject, byte[] identityKey) throws Exception {
    long now = System.currentTimeMillis();
    var b = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(new X500Name(issuer),
        java.math.BigInteger.TWO, new java.util.Date(now - 60_000), new java.util.Date(now + 86_400_000),
        new X500Name("CN=" + clientId), subject.getPublic())
        .addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
            new org.bouncycastle.asn1.x509.BasicConstraints(false))
        .addExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier(
            org.hedgerow.aggregation.secagg.CertifiedIdentityKeys.OID), false,
            org.hedgerow.aggregation.secagg.CertifiedIdentityKeys.extensionValue(identityKey));
    return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
  }

  /**
   * Trusts only {@code ca}; presents {@code cert} with {@code key} when both are given, even when the
   * server's list of acceptable CAs does not name its issuer (as a forger would).
   */
  public static SSLContext context(X509Certificate ca, PrivateKey key, X509Certificate cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (key != null) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("client", key, new char[0], new Certificate[] {cert});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : new KeyManager[] {alwaysPresent((X509KeyManager) kmf.getKeyManagers()[0])},
        tmf.getTrustManagers(), null);
    return ctx;
  }

  private static X509ExtendedKeyManager alwaysPresent(X509KeyManager km) {
    return new X509ExtendedKeyManager() {
      @Override
      public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {"client"};
      }

      @Override
      public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return "client";
      }

      @Override
      public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return "client";
      }

      @Override
      public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
      }

      @Override
      public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
      }

      @Override
      public X509Certificate[] getCertificateChain(String alias) {
        return km.getCertificateChain(alias);
      }

      @Override
      public PrivateKey getPrivateKey(String alias) {
        return km.getPrivateKey(alias);
      }
    };
  }
}
