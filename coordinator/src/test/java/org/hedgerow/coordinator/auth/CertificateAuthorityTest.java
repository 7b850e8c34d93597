package org.hedgerow.coordinator.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {
  private static final CertificateAuthority CA = CertificateAuthority.create("test CA", Duration.ofDays(10));

  @Test
  void create_newCa_isSelfSignedCaForCertificateSigning() throws Exception {
    X509Certificate c = CA.certificate();
    c.verify(c.getPublicKey());
    assertTrue(c.getBasicConstraints() >= 0, "basicConstraints CA:true");
    assertTrue(c.getKeyUsage()[5], "keyCertSign");
    assertEquals("EC", c.getPublicKey().getAlgorithm());
    assertEquals("test CA", CertificateAuthority.commonName(c));
  }

  @Test
  void issueServer_extraHosts_verifiesUnderCaWithEveryName() throws Exception {
    KeyAndCertificate s = CA.issueServer(List.of("coord.example.org", "10.1.2.3"), Duration.ofDays(5));
    s.certificate().verify(CA.certificate().getPublicKey());
    s.certificate().checkValidity();
    Set<String> names = s.certificate().getSubjectAlternativeNames().stream().map(n -> n.get(1).toString())
        .collect(Collectors.toSet());
    assertEquals(Set.of("localhost", "127.0.0.1", "coord.example.org", "10.1.2.3"), names);
    assertTrue(s.certificate().getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth");
    assertEquals(-1, s.certificate().getBasicConstraints());
  }

  @Test
  void issueServer_hostWithSpace_refusedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CA.issueServer(List.of("bad host"), Duration.ofDays(1)));
    assertTrue(e.getMessage().contains("'bad host'"), e.getMessage());
  }

  @Test
  void signClient_validCsr_certificateWithForcedCnClientAuthAndValidity() throws Exception {
    KeyPair kp = CertificateAuthority.newKeyPair();
    Instant before = Instant.now();
    X509Certificate c = CA.signClient(TestCerts.csr(kp, "somebody-else"), "silo-1", Duration.ofDays(7));
    c.verify(CA.certificate().getPublicKey());
    assertEquals("silo-1", CertificateAuthority.commonName(c));
    assertEquals(kp.getPublic(), c.getPublicKey());
    assertEquals(List.of("1.3.6.1.5.5.7.3.2"), c.getExtendedKeyUsage());
    assertEquals(-1, c.getBasicConstraints());
    long days = Duration.between(before, c.getNotAfter().toInstant()).toDays();
    assertTrue(days >= 6 && days <= 7, "valid for 7 days, got " + days);
    assertEquals(CA.certificate().getSubjectX500Principal(), c.getIssuerX500Principal());
    assertTrue(c.getSerialNumber().signum() > 0);
    X509Certificate other = CA.signClient(TestCerts.csr(kp, "x"), "silo-1", Duration.ofDays(7));
    assertNotEquals(c.getSerialNumber(), other.getSerialNumber(), "random serials");
  }

  @Test
  void signClient_csrWithBadSignature_refused() throws Exception {
    KeyPair kp = CertificateAuthority.newKeyPair();
    byte[] der = TestCerts.csr(kp, "silo").getEncoded();
    der[der.length - 5] ^= 0x01; // inside the signature's last integer
    PKCS10CertificationRequest tampered = new PKCS10CertificationRequest(der);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CA.signClient(tampered, "silo", Duration.ofDays(1)));
    assertTrue(e.getMessage().contains("signature"), e.getMessage());
  }

  @Test
  void signClient_csrSignedWithAnotherKey_refused() throws Exception {
    KeyPair claimed = CertificateAuthority.newKeyPair();
    KeyPair signer = CertificateAuthority.newKeyPair();
    PKCS10CertificationRequest forged = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
        new org.bouncycastle.asn1.x500.X500Name("CN=x"), claimed.getPublic())
        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()));
    assertThrows(IllegalArgumentException.class, () -> CA.signClient(forged, "silo", Duration.ofDays(1)));
  }

  @Test
  void pem_roundTrip_certificateKeyAndCsrComeBackEqual() throws Exception {
    KeyPair kp = CertificateAuthority.newKeyPair();
    assertEquals(CA.certificate(), Pem.readCertificate(Pem.certificate(CA.certificate())));
    assertArrayEquals(kp.getPrivate().getEncoded(), Pem.readPrivateKey(Pem.privateKey(kp.getPrivate())).getEncoded());
    PKCS10CertificationRequest csr = TestCerts.csr(kp, "a");
    assertArrayEquals(csr.getEncoded(), Pem.readCsr(Pem.csr(csr)).getEncoded());
    assertTrue(Pem.privateKey(kp.getPrivate()).startsWith("-----BEGIN PRIVATE KEY-----"));
  }

  @Test
  void pem_wrongKindOrGarbage_refusedNamingWhatWasExpected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Pem.readPrivateKey(Pem.certificate(CA.certificate())));
    assertTrue(e.getMessage().contains("private key"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Pem.readCsr("not pem at all"));
    assertTrue(e.getMessage().contains("certificate signing request"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Pem.readCertificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
    assertTrue(e.getMessage().contains("certificate"), e.getMessage());
  }

  @Test
  void fingerprint_certificate_isLowerHexSha256OfDer() throws Exception {
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(CA.certificate().getEncoded()));
    assertEquals(expected, Fingerprints.sha256(CA.certificate()));
    assertEquals(64, expected.length());
  }
}
