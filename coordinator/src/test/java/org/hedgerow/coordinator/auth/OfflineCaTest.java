package org.hedgerow.coordinator.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.hedgerow.aggregation.secagg.CertifiedIdentityKeys;
import org.hedgerow.aggregation.secagg.ProtocolViolationException;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline federation CA: what {@code hedgerow ca sign} refuses, and that a coordinator set up with
 * only the CA's certificate holds nothing that can certify a substitute identity key.
 */
class OfflineCaTest {
  @TempDir Path tmp;
  private Path caDir;
  private OfflineCa ca;

  @BeforeEach
  void createCa() {
    caDir = tmp.resolve("ca");
    OfflineCa.init(caDir);
    ca = OfflineCa.load(caDir);
  }

  private static String request(String subject, KeyPair tls, Ed25519KeyPair identity, Ed25519KeyPair prover,
      byte[] provenTlsKey) throws Exception {
    return TestCerts.offlineRequest(subject, tls, identity, prover, provenTlsKey);
  }

  private static String validRequest(String clientId, KeyPair tls, Ed25519KeyPair identity) throws Exception {
    return TestCerts.offlineRequest(clientId, tls, identity);
  }

  private static Ed25519KeyPair identity() {
    return Ed25519.generateKeyPair(new SecureRandom());
  }

  @Test
  void init_newDirectory_keyOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir)));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir.resolve(OfflineCa.CA_KEY))));
    IllegalStateException again = assertThrows(IllegalStateException.class, () -> OfflineCa.init(caDir));
    assertTrue(again.getMessage().contains("refusing to overwrite"), again.getMessage());
  }

  @Test
  void load_keyReadableByOthers_refusesNamingTheChmod() throws Exception {
    Files.setPosixFilePermissions(caDir.resolve(OfflineCa.CA_KEY), PosixFilePermissions.fromString("rw-r--r--"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> OfflineCa.load(caDir));
    assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
  }

  @Test
  void signClient_validRequest_certifiesTheIdentityKeyForThatClientAndRecordsIt() throws Exception {
    KeyPair tls = CertificateAuthority.newKeyPair();
    Ed25519KeyPair id = identity();
    X509Certificate cert = ca.signClient(validRequest("shop-a", tls, id), "shop-a");
    cert.verify(ca.certificate().getPublicKey());
    assertEquals("shop-a", CertificateAuthority.commonName(cert));
    assertEquals(tls.getPublic(), cert.getPublicKey());
    assertArrayEquals(id.publicKey(), CertifiedIdentityKeys.identityKeyOf(cert));
    assertTrue(cert.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"), "TLS client authentication");
    String log = Files.readString(caDir.resolve(OfflineCa.ISSUED));
    assertTrue(log.contains("client CN=shop-a") && log.contains(Fingerprints.sha256(cert)), log);
  }

  @Test
  void signClient_noProofOfPossession_refused() throws Exception {
    KeyPair tls = CertificateAuthority.newKeyPair();
    Ed25519KeyPair id = identity();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ca.signClient(request("CN=shop-a", tls, id, null, null), "shop-a"));
    assertTrue(e.getMessage().contains("identity_proof is not a valid signature"), e.getMessage());
    assertFalse(Files.exists(caDir.resolve(OfflineCa.ISSUED)), "nothing signed");
  }

  @Test
  void signClient_proofByAnotherKey_refused() throws Exception {
    // Someone asking to have a key certified that they do not hold (e.g. another silo's public identity key).
    KeyPair tls = CertificateAuthority.newKeyPair();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ca.signClient(
        request("CN=shop-a", tls, identity(), identity(), tls.getPublic().getEncoded()), "shop-a"));
    assertTrue(e.getMessage().contains("identity_proof is not a valid signature"), e.getMessage());
  }

  @Test
  void signClient_proofBoundToAnotherRequest_refused() throws Exception {
    // A proof copied from an earlier request: it signs that request's TLS key, not this one's.
    KeyPair tls = CertificateAuthority.newKeyPair();
    Ed25519KeyPair id = identity();
    byte[] otherTlsKey = CertificateAuthority.newKeyPair().getPublic().getEncoded();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ca.signClient(request("CN=shop-a", tls, id, id, otherTlsKey), "shop-a"));
    assertTrue(e.getMessage().contains("identity_proof is not a valid signature"), e.getMessage());
  }

  @Test
  void signClient_noIdentityKey_refused() throws Exception {
    KeyPair tls = CertificateAuthority.newKeyPair();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ca.signClient(request("CN=shop-a", tls, null, null, null), "shop-a"));
    assertTrue(e.getMessage().contains("no identity key"), e.getMessage());
  }

  @Test
  void signClient_subjectOfAnotherSilo_refused() throws Exception {
    KeyPair tls = CertificateAuthority.newKeyPair();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ca.signClient(validRequest("shop-b", tls, identity()), "shop-a"));
    assertTrue(e.getMessage().contains("'CN=shop-b', not 'CN=shop-a'"), e.getMessage());
  }

  @Test
  void signClient_extraSubjectAttributes_refused() throws Exception {
    KeyPair tls = CertificateAuthority.newKeyPair();
    Ed25519KeyPair id = identity();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ca.signClient(
        request("CN=shop-a,O=hedgerow coordinator", tls, id, id, tls.getPublic().getEncoded()), "shop-a"));
    assertTrue(e.getMessage().contains("not 'CN=shop-a'"), e.getMessage());
  }

  @Test
  void signClient_badClientIdOrTamperedRequest_refused() throws Exception {
    KeyPair tls = CertificateAuthority.newKeyPair();
    Ed25519KeyPair id = identity();
    assertThrows(IllegalArgumentException.class, () -> ca.signClient(validRequest("shop-a", tls, id), "shop a/.."));
    String valid = validRequest("shop-a", tls, id);
    // The request signed by another TLS key than the one it carries.
    KeyPair other = CertificateAuthority.newKeyPair();
    String forged = Pem.csr(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=shop-a"), tls.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(other.getPrivate())));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ca.signClient(forged, "shop-a"));
    assertTrue(e.getMessage().contains("signature does not verify"), e.getMessage());
    assertTrue(ca.signClient(valid, "shop-a") != null);
  }

  @Test
  void signServer_coordinatorRequest_certificateForItsHostsOnly() throws Exception {
    Path state = tmp.resolve("state");
    StateDirectory.initWithOfflineCa(state, caDir.resolve(OfflineCa.CA), List.of("coord.example.org", "10.1.2.3"));
    X509Certificate server = ca.signServer(Files.readString(state.resolve(StateDirectory.SERVER_CSR)));
    List<String> names = server.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
    assertEquals(List.of("localhost", "127.0.0.1", "coord.example.org", "10.1.2.3"), names);
    assertTrue(server.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "TLS server authentication");
    // A silo's request is not a server request.
    KeyPair tls = CertificateAuthority.newKeyPair();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ca.signServer(validRequest("shop-a", tls, identity())));
    assertTrue(e.getMessage().contains("CN=hedgerow coordinator"), e.getMessage());
  }

  @Test
  void stateDirectory_withOfflineCa_noCaKeyAndStartsOnlyOnceTheServerCertificateIsSigned() throws Exception {
    Path state = tmp.resolve("state");
    StateDirectory.initWithOfflineCa(state, caDir.resolve(OfflineCa.CA), List.of());
    assertFalse(Files.exists(state.resolve(StateDirectory.CA_KEY)));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> StateDirectory.load(state));
    assertTrue(e.getMessage().contains("hedgerow ca sign") && e.getMessage().contains("--server"), e.getMessage());
    Files.writeString(state.resolve(StateDirectory.SERVER),
        Pem.certificate(ca.signServer(Files.readString(state.resolve(StateDirectory.SERVER_CSR)))));
    StateDirectory loaded = StateDirectory.load(state);
    assertTrue(loaded.offlineCa());
    assertNull(loaded.ca(), "no CA key to sign with");
    assertEquals(ca.certificate(), loaded.caCertificate());
    // A server certificate from another CA is refused.
    OfflineCa.init(tmp.resolve("other"));
    OfflineCa other = OfflineCa.load(tmp.resolve("other"));
    Files.writeString(state.resolve(StateDirectory.SERVER),
        Pem.certificate(other.signServer(Files.readString(state.resolve(StateDirectory.SERVER_CSR)))));
    IllegalStateException wrongCa = assertThrows(IllegalStateException.class, () -> StateDirectory.load(state));
    assertTrue(wrongCa.getMessage().contains("not signed by the federation CA"), wrongCa.getMessage());
  }

  /**
   * The coordinator with an offline CA holds ca.pem, its server key and certificate, tokens: none of it can
   * certify a substitute identity key for a silo. Every forgery it can make is refused by the check every
   * honest silo runs on each advertisement ({@link CertifiedIdentityKeys#federationCa}); the CA's own
   * certificate for the same key passes, so the check is not simply refusing everything.
   */
  @Test
  void coordinatorWithOfflineCa_everyCertificateItCanMintForASubstituteKey_isRefusedBySilos() throws Exception {
    Path state = tmp.resolve("state");
    StateDirectory.initWithOfflineCa(state, caDir.resolve(OfflineCa.CA), List.of());
    Files.writeString(state.resolve(StateDirectory.SERVER),
        Pem.certificate(ca.signServer(Files.readString(state.resolve(StateDirectory.SERVER_CSR)))));
    StateDirectory coordinator = StateDirectory.load(state);
    X509Certificate federationCa = coordinator.caCertificate();
    Ed25519KeyPair substitute = identity();
    KeyPair tls = CertificateAuthority.newKeyPair();

    // 1. Signed with the only private key the coordinator holds: its server key (a leaf, CA:false).
    X509Certificate byServerKey = TestCerts.forgedClientCertificate(
        coordinator.server().certificate().getSubjectX500Principal().getName(), coordinator.server().key(), "shop-a",
        tls, substitute.publicKey());
    // 2. Signed by a CA of its own making under the federation CA's very name.
    CertificateAuthority lookalike = CertificateAuthority.create("hedgerow federation CA", Duration.ofDays(1));
    X509Certificate byLookalike = lookalike.signClient(
        TestCerts.csr(tls, "shop-a"), "shop-a", substitute.publicKey(), Duration.ofDays(1));
    for (X509Certificate forged : List.of(byServerKey, byLookalike)) {
      ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
          () -> CertifiedIdentityKeys.federationCa(federationCa).check(0, substitute.publicKey(), forged.getEncoded()));
      assertTrue(e.getMessage().contains("not signed by the federation CA"), e.getMessage());
    }
    // 3. The victim's genuine certificate with a substituted roster key.
    Ed25519KeyPair victim = identity();
    X509Certificate genuine = ca.signClient(validRequest("shop-a", tls, victim), "shop-a");
    ProtocolViolationException swapped = assertThrows(ProtocolViolationException.class,
        () -> CertifiedIdentityKeys.federationCa(federationCa).check(0, substitute.publicKey(), genuine.getEncoded()));
    assertTrue(swapped.getMessage().contains("key substitution"), swapped.getMessage());
    // Control: the CA's certificate and the key it certified pass.
    CertifiedIdentityKeys.federationCa(federationCa).check(0, victim.publicKey(), genuine.getEncoded());
  }
}
