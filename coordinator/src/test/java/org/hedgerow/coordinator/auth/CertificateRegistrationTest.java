package org.hedgerow.coordinator.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.hedgerow.coordinator.http.RejectedException;
import org.hedgerow.privacy.crypto.Ed25519;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who a coordinator with an offline CA registers by certificate, and who it refuses (the router handler's rules). */
class CertificateRegistrationTest {
  private CertificateAuthority ca;
  private InMemoryCredentialStore store;
  private ClientRegistry registry;

  @BeforeEach
  void setUp() {
    ca = CertificateAuthority.create("hedgerow federation CA", Duration.ofDays(30));
    store = new InMemoryCredentialStore();
    registry = new ClientRegistry();
  }

  private CertificateRegistration at(Instant now) {
    return new CertificateRegistration(null, store, registry, ca.certificate(), Clock.fixed(now, ZoneOffset.UTC));
  }

  private X509Certificate client(String id) throws Exception {
    KeyPair kp = CertificateAuthority.newKeyPair();
    return ca.signClient(TestCerts.csr(kp, id), id, Ed25519.generateKeyPair(new SecureRandom()).publicKey(),
        Duration.ofDays(1));
  }

  @Test
  void register_newCaSignedClient_storedAndKnownToTheAuthenticator() throws Exception {
    X509Certificate cert = client("shop-a");
    EnrolledClient c = at(Instant.now()).register(cert);
    assertEquals("shop-a", c.clientId());
    assertEquals(Fingerprints.sha256(cert), c.certificateFingerprint());
    assertEquals(c, store.client("shop-a").orElseThrow());
    assertEquals(c, registry.byFingerprint(Fingerprints.sha256(cert)).orElseThrow());
    assertSame(c, at(Instant.now()).register(cert), "a second call with the same certificate changes nothing");
  }

  @Test
  void register_revokedClient_refusedEvenWithANewCertificate() throws Exception {
    at(Instant.now()).register(client("shop-a"));
    new EnrolmentService(store, registry, null).revoke("shop-a");
    RejectedException e = assertThrows(RejectedException.class,
        () -> at(Instant.now().plusSeconds(3600)).register(client("shop-a")));
    assertEquals(401, e.status());
    assertTrue(e.getMessage().contains("revoked"), e.getMessage());
  }

  @Test
  void register_certificateIssuedBeforeTheRegistration_refusedAsSuperseded() throws Exception {
    X509Certificate first = client("shop-a");
    X509Certificate older = client("shop-a"); // signed at about the same time: issued before the registration
    Instant registeredAt = Instant.now().plus(Duration.ofMinutes(10)); // beyond the 5-minute backdating
    at(registeredAt).register(first);
    RejectedException e = assertThrows(RejectedException.class, () -> at(registeredAt.plusSeconds(1)).register(older));
    assertEquals(401, e.status());
    assertTrue(e.getMessage().contains("superseded"), e.getMessage());
    assertEquals(Fingerprints.sha256(first), registry.byId("shop-a").orElseThrow().certificateFingerprint());
  }

  @Test
  void register_certificateIssuedAfterTheRegistration_replacesTheOldOne() throws Exception {
    // shop-a registered an hour ago with a certificate since renewed by the CA.
    Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
    store.saveEnrolmentToken(new EnrolmentToken("t", "shop-a", anHourAgo, anHourAgo.plusSeconds(60)));
    registry.put(store.redeemEnrolmentToken("t", anHourAgo,
        id -> new EnrolledClient(id, "00".repeat(32), null, anHourAgo, null)).orElseThrow());
    X509Certificate renewed = client("shop-a");
    EnrolledClient c = at(Instant.now()).register(renewed);
    assertEquals(Fingerprints.sha256(renewed), c.certificateFingerprint());
    assertTrue(registry.byFingerprint("00".repeat(32)).isEmpty(), "the old certificate stops working");
    assertEquals(1, registry.all().size());
  }

  @Test
  void register_serverCertificateOrNoIdentityKey_refused() throws Exception {
    KeyAndCertificate server = ca.issueServer(List.of(), Duration.ofDays(1));
    RejectedException notClient = assertThrows(RejectedException.class,
        () -> at(Instant.now()).register(server.certificate()));
    assertTrue(notClient.getMessage().contains("not a client certificate"), notClient.getMessage());
    X509Certificate noIdentity = ca.signClient(TestCerts.csr(CertificateAuthority.newKeyPair(), "x"), "shop-c",
        Duration.ofDays(1));
    RejectedException e = assertThrows(RejectedException.class, () -> at(Instant.now()).register(noIdentity));
    assertTrue(e.getMessage().contains("certifies no identity key"), e.getMessage());
    assertTrue(registry.all().isEmpty());
  }

  @Test
  void enrolmentService_withOfflineCa_refusesTokensAndEnrolmentSayingEnrolmentIsOffline() {
    EnrolmentService offline = EnrolmentService.withOfflineCa(store, registry);
    for (Runnable call : List.<Runnable>of(() -> offline.issueToken("shop-a", null),
        () -> offline.enrol("token", "csr"))) {
      RejectedException e = assertThrows(RejectedException.class, call::run);
      assertEquals(403, e.status());
      assertTrue(e.getMessage().startsWith("enrolment is offline"), e.getMessage());
    }
    assertTrue(offline.tls(), "silos still use certificates");
  }
}
