package org.hedgerow.edge.client;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.hedgerow.aggregation.secagg.CertifiedIdentityKeys;
import org.hedgerow.aggregation.wire.EnrolmentAnswer;
import org.hedgerow.aggregation.wire.EnrolmentRequest;
import org.hedgerow.aggregation.wire.ErrorBody;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.aggregation.wire.WireJson;
import org.hedgerow.edge.state.SiloState;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.hedgerow.privacy.crypto.Hex;

/**
 * A silo's mutual-TLS identity: its private key (generated here, never sent anywhere), the client
 * certificate the coordinator's CA signed for it, and that CA, which is the only one it trusts.
 * {@link #enrol} obtains them with a one-time enrolment token; {@link #load} reads them back.
 *
 * <p>Files in the credentials directory (created 0700): {@value #KEY} (owner-only), {@value #CERT}, {@value #CA},
 * and {@code identity.key} (owner-only): the silo's Ed25519 identity key, which the CA certifies in
 * {@value #CERT} ({@link CertifiedIdentityKeys}) so that other silos can check it in secure aggregation.
 * With {@code hedgerow client --epsilon-cap} it is also the silo's state directory by default
 * ({@code org.hedgerow.edge.state.SiloState}: identity key, spend log, release).
 */
public final class ClientCredentials {
  public static final String KEY = "client-key.pem";
  public static final String CERT = "client.pem";
  public static final String CA = "ca.pem";

  private final PrivateKey key;
  private final X509Certificate certificate;
  private final X509Certificate ca;
  private final Ed25519KeyPair identity;

  private ClientCredentials(PrivateKey key, X509Certificate certificate, X509Certificate ca, Ed25519KeyPair identity) {
    this.key = key;
    this.certificate = certificate;
    this.ca = ca;
    this.identity = identity;
  }

  /**
   * Enrols this silo: generates an ECDSA P-256 key pair, sends a certificate signing request with
   * {@code token} to the coordinator (over HTTPS, trusting only the CA in {@code trustCaPem}), checks
   * the certificate it returns, and saves key, certificate and CA in {@code credentialsDir}.
   *
   * @throws IllegalStateException if {@code credentialsDir} already holds credentials, the coordinator
   *     cannot be reached or sends something unexpected
   * @throws CoordinatorClient.RefusedException if the coordinator refuses the token (401) or the request
   */
  public static ClientCredentials enrol(URI coordinator, Path trustCaPem, String token, Path credentialsDir) {
    if (!"https".equalsIgnoreCase(coordinator.getScheme())) {
      throw new IllegalArgumentException("enrolment needs an https:// coordinator URL (certificates are only "
          + "issued over TLS). Provided value: " + coordinator);
    }
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("the enrolment token is empty");
    }
    for (String f : List.of(KEY, CERT)) {
      if (Files.exists(credentialsDir.resolve(f))) {
        throw new IllegalStateException(credentialsDir.resolve(f) + " already exists; refusing to overwrite this "
            + "silo's credentials. Use another directory, or delete it to enrol again.");
      }
    }
    X509Certificate trusted = readCertificate(trustCaPem);
    // The identity key first (kept if one is there, e.g. a DP silo's state): the CA certifies it below.
    Ed25519KeyPair identity = SiloState.loadOrCreateIdentityKey(credentialsDir);
    KeyPair kp = newKeyPair();
    byte[] proof = Ed25519.sign(identity.privateKey(),
        CertifiedIdentityKeys.possessionMessage(kp.getPublic().getEncoded()));
    String body = WireJson.encode(new EnrolmentRequest(token.strip(), pem(csr(kp)),
        java.util.Base64.getEncoder().encodeToString(identity.publicKey()),
        java.util.Base64.getEncoder().encodeToString(proof)));
    HttpResponse<String> r;
    try {
      HttpClient http = HttpClient.newBuilder().sslContext(trusting(trusted)).version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10)).build();
      // No retries: the token works once, and a retried request whose first answer was lost would be refused.
      r = http.send(HttpRequest.newBuilder(coordinator.resolve(Wire.ENROL)).timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach the coordinator at " + coordinator + " to enrol (" + e + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while enrolling", e);
    }
    if (r.statusCode() != 201) {
      throw new CoordinatorClient.RefusedException(r.statusCode(), errorMessage(r.body()));
    }
    EnrolmentAnswer answer;
    try {
      answer = WireJson.decode(r.body(), EnrolmentAnswer.class);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("the coordinator's answer to enrolment is malformed: " + e.getMessage(), e);
    }
    if (answer.certificate() == null) {
      throw new IllegalStateException("the coordinator sent no certificate (is it running without TLS?): " + r.body());
    }
    X509Certificate cert = parseCertificate(answer.certificate(), "the issued certificate");
    if (!cert.getPublicKey().equals(kp.getPublic())) {
      throw new IllegalStateException("the coordinator returned a certificate for another key");
    }
    try {
      cert.verify(trusted.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the issued certificate is not signed by the trusted CA " + trustCaPem, e);
    }
    if (!java.util.Arrays.equals(CertifiedIdentityKeys.identityKeyOf(cert), identity.publicKey())) {
      throw new IllegalStateException("the issued certificate does not certify this silo's identity key "
          + Hex.encode(identity.publicKey()) + " (is the coordinator older than this client?)");
    }
    ClientCredentials c = new ClientCredentials(kp.getPrivate(), cert, trusted, identity);
    c.save(credentialsDir);
    return c;
  }

  /** Reads credentials saved by {@link #enrol}. */
  public static ClientCredentials load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("no credentials directory at " + dir + "; enrol first with 'hedgerow enrol'");
    }
    PrivateKey key = readPrivateKey(dir.resolve(KEY));
    X509Certificate cert = readCertificate(dir.resolve(CERT));
    X509Certificate ca = readCertificate(dir.resolve(CA));
    try {
      cert.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(dir.resolve(CERT) + " is not signed by " + dir.resolve(CA), e);
    }
    checkKeyMatches(key, cert, dir);
    Ed25519KeyPair identity = SiloState.identityKeyIn(dir);
    byte[] certified = CertifiedIdentityKeys.identityKeyOf(cert);
    if (identity != null && certified != null && !java.util.Arrays.equals(certified, identity.publicKey())) {
      throw new IllegalStateException(dir.resolve(SiloState.IDENTITY_FILE) + " holds identity key "
          + Hex.encode(identity.publicKey()) + ", but " + dir.resolve(CERT) + " certifies " + Hex.encode(certified)
          + ": restore the enrolled identity.key, or enrol again");
    }
    return new ClientCredentials(key, cert, ca, certified == null ? null : identity);
  }

  /**
   * The silo's identity key as certified by the federation CA in its client certificate, or null if
   * the certificate certifies none (enrolled before identity keys were certified: re-enrol for secure
   * aggregation) or {@code identity.key} is missing.
   */
  public Ed25519KeyPair certifiedIdentity() {
    return identity;
  }

  /** A key belongs to a certificate if a signature made with it verifies with the certificate's public key. */
  static void checkKeyMatches(PrivateKey key, X509Certificate cert, Path dir) {
    try {
      byte[] probe = "hedgerow key check".getBytes(StandardCharsets.US_ASCII);
      java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      s.initVerify(cert.getPublicKey());
      s.update(probe);
      if (s.verify(sig)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(dir.resolve(KEY) + " is not an EC key usable with " + dir.resolve(CERT), e);
    }
    throw new IllegalStateException(dir.resolve(KEY) + " does not belong to " + dir.resolve(CERT));
  }

  /** The client id the coordinator gave this silo (its certificate's CN). */
  public String clientId() {
    X500Name n = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    var rdns = n.getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN);
    return rdns.length == 0 ? null : rdns[0].getFirst().getValue().toString();
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public X509Certificate ca() {
    return ca;
  }

  /** A TLS context that presents this silo's certificate and trusts only the federation CA. */
  public SSLContext sslContext() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] none = new char[0];
      ks.setKeyEntry("client", key, none, new Certificate[] {certificate, ca});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, none);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), trustManagers(ca), new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS context from the client credentials: " + e.getMessage(), e);
    }
  }

  /** A TLS context without a client certificate that trusts only the CA in {@code caPem} (operator tools). */
  public static SSLContext trusting(Path caPem) {
    return trusting(readCertificate(caPem));
  }

  private static SSLContext trusting(X509Certificate ca) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, trustManagers(ca), new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context trusting " + ca.getSubjectX500Principal(), e);
    }
  }

  private static javax.net.ssl.TrustManager[] trustManagers(X509Certificate ca) throws GeneralSecurityException,
      IOException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("federation-ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    return tmf.getTrustManagers();
  }

  private void save(Path dir) {
    try {
      if (!Files.exists(dir) && dir.getFileSystem().supportedFileAttributeViews().contains("posix")) { // enrol made it
        // Owner-only from the start: the directory may also be the silo's state (identity key, spend log).
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(dir);
      }
      Path keyFile = dir.resolve(KEY);
      if (keyFile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(keyFile);
      }
      Files.writeString(keyFile, pem(new JcaPKCS8Generator(key, null).generate()), StandardCharsets.UTF_8);
      Files.writeString(dir.resolve(CERT), pem(certificate), StandardCharsets.UTF_8);
      Files.writeString(dir.resolve(CA), pem(ca), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot save the client credentials in " + dir + ": " + e, e);
    }
  }

  static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate P-256 keys", e);
    }
  }

  /** The CSR's subject is a placeholder: the coordinator names the certificate after the token's client id. */
  private static PKCS10CertificationRequest csr(KeyPair kp) {
    try {
      return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=hedgerow-silo"), kp.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign the certificate request: " + e.getMessage(), e);
    }
  }

  static String pem(Object o) {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new IllegalStateException("cannot PEM-encode " + o.getClass().getSimpleName(), e);
    }
    return s.toString();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("missing " + file, e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e, e);
    }
  }

  private static Object parsePem(String text, String what) {
    Object o;
    try (PEMParser p = new PEMParser(new StringReader(text))) {
      o = p.readObject();
    } catch (IOException | RuntimeException e) { // BouncyCastle throws both for bad base64 or DER
      throw new IllegalStateException(what + " is not valid PEM: " + e.getMessage(), e);
    }
    if (o == null) {
      throw new IllegalStateException(what + " holds no PEM block");
    }
    return o;
  }

  static X509Certificate readCertificate(Path file) {
    return parseCertificate(read(file), file.toString());
  }

  private static X509Certificate parseCertificate(String pem, String what) {
    Object o = parsePem(pem, what);
    if (!(o instanceof X509CertificateHolder h)) {
      throw new IllegalStateException(what + " is not a PEM certificate (found " + o.getClass().getSimpleName() + ")");
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(h);
    } catch (CertificateException e) {
      throw new IllegalStateException(what + " cannot be decoded: " + e.getMessage(), e);
    }
  }

  static PrivateKey readPrivateKey(Path file) {
    Object o = parsePem(read(file), file.toString());
    try {
      if (o instanceof PrivateKeyInfo info) {
        return new JcaPEMKeyConverter().getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return new JcaPEMKeyConverter().getKeyPair(pair).getPrivate();
      }
    } catch (IOException e) {
      throw new IllegalStateException(file + " cannot be decoded: " + e.getMessage(), e);
    }
    throw new IllegalStateException(file + " is not an unencrypted PEM private key (found "
        + o.getClass().getSimpleName() + ")");
  }

  private static String errorMessage(String body) {
    try {
      String error = WireJson.decode(body, ErrorBody.class).error();
      return error == null ? body : error;
    } catch (IllegalArgumentException e) {
      return body;
    }
  }
}
