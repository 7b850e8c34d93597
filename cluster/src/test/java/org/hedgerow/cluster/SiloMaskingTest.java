package org.hedgerow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.hedgerow.aggregation.secagg.ClientRoster;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.Test;

class SiloMaskingTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void advertise_rosterWithAnotherKeyAtTheSilosIndex_refusedBeforeAnythingIsSent() {
    Ed25519KeyPair own = Ed25519.generateKeyPair(RANDOM);
    SiloMasking m = new SiloMasking();
    m.hold("s1", own, new int[] {1, 2, 3});
    List<byte[]> roster = List.of(Ed25519.generateKeyPair(RANDOM).publicKey(), own.publicKey(),
        Ed25519.generateKeyPair(RANDOM).publicKey());
    SessionTerms terms = SessionTerms.forRegion(3, 2, 1, "cluster/r/region-1", 1.0);
    var e = assertThrows(IllegalStateException.class, () -> m.advertise(terms, new ClientRoster(roster),
        Map.of("s1", 0)));
    assertTrue(e.getMessage().contains("does not list silo s1's identity key at index 0"), e.getMessage());
    assertEquals(1, m.advertise(terms, new ClientRoster(roster), Map.of("s1", 1)).size(), "the right index is served");
  }

  @Test
  void shareKeys_beforeAdvertise_refusedAsOutOfOrder() {
    SiloMasking m = new SiloMasking();
    m.hold("s1", Ed25519.generateKeyPair(RANDOM), new int[] {1, 2, 3});
    var e = assertThrows(IllegalStateException.class, () -> m.shareKeys(List.of("s1"), List.of(new byte[1])));
    assertTrue(e.getMessage().contains("out of order"), e.getMessage());
  }

  @Test
  void sessionTerms_twoSilos_refusedNamingTheReason() {
    var e = assertThrows(IllegalArgumentException.class, () -> SessionTerms.forRegion(2, 5, 1, "s", 1.0));
    assertTrue(e.getMessage().contains("at least 3 silos"), e.getMessage());
  }
}
