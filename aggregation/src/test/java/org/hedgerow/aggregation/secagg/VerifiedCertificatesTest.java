package org.hedgerow.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import org.hedgerow.privacy.crypto.Ed25519;
import org.junit.jupiter.api.Test;

/** A silo's cache of verified peer certificates: signatures checked once, everything else every session. */
class VerifiedCertificatesTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final TestFederationCa ca = new TestFederationCa("test federation CA");

  @Test
  void federationCa_sameCertificateInALaterSession_verifiedOnceAndStillAccepted() {
    byte[] key = Ed25519.generateKeyPair(RANDOM).publicKey();
    byte[] cert = ca.issue("silo-1", key);
    VerifiedCertificates verified = new VerifiedCertificates(ca.certificate);
    CertifiedIdentityKeys.federationCa(verified).check(1, key, cert);
    assertEquals(1, verified.size());
    CertifiedIdentityKeys.federationCa(verified).check(1, key, cert); // next session: from the cache
    assertEquals(1, verified.size());
  }

  @Test
  void federationCa_cachedCertificateForAnotherRosterKey_stillRefusedAsKeySubstitution() {
    byte[] key = Ed25519.generateKeyPair(RANDOM).publicKey();
    byte[] cert = ca.issue("silo-1", key);
    VerifiedCertificates verified = new VerifiedCertificates(ca.certificate);
    CertifiedIdentityKeys.federationCa(verified).check(1, key, cert);
    byte[] substitute = Ed25519.generateKeyPair(RANDOM).publicKey();
    ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
        () -> CertifiedIdentityKeys.federationCa(verified).check(1, substitute, cert));
    assertTrue(e.getMessage().contains("key substitution"), e.getMessage());
  }

  @Test
  void federationCa_cachedCertificateThatHasExpired_refused() throws Exception {
    byte[] key = Ed25519.generateKeyPair(RANDOM).publicKey();
    byte[] cert = ca.issue("silo-1", key, Duration.ofSeconds(2)); // valid for about 2 s from now
    VerifiedCertificates verified = new VerifiedCertificates(ca.certificate);
    CertifiedIdentityKeys.federationCa(verified).check(1, key, cert);
    Thread.sleep(3_100);
    ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
        () -> CertifiedIdentityKeys.federationCa(verified).check(1, key, cert));
    assertTrue(e.getMessage().contains("not valid now"), e.getMessage());
  }

  @Test
  void federationCa_certificateOfAnotherCa_refusedAndNotRemembered() {
    byte[] key = Ed25519.generateKeyPair(RANDOM).publicKey();
    byte[] rogue = new TestFederationCa("rogue CA").issue("silo-1", key);
    VerifiedCertificates verified = new VerifiedCertificates(ca.certificate);
    for (int session = 0; session < 2; session++) {
      ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
          () -> CertifiedIdentityKeys.federationCa(verified).check(1, key, rogue));
      assertTrue(e.getMessage().contains("not signed by the federation CA"), e.getMessage());
    }
    assertEquals(0, verified.size());
  }
}
