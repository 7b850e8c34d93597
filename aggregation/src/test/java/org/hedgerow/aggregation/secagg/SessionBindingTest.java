package org.hedgerow.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.hedgerow.privacy.crypto.X25519;
import org.junit.jupiter.api.Test;

/** {@link SecAggConfig#sessionRoundId}: a session's messages are worthless in any other session of the round. */
class SessionBindingTest {
  @Test
  void sessionRoundId_sameInputs_sameIdOtherSessionOrRound_otherId() {
    long id = SecAggConfig.sessionRoundId(3, "a1b2");
    assertEquals(id, SecAggConfig.sessionRoundId(3, "a1b2"));
    assertNotEquals(id, SecAggConfig.sessionRoundId(3, "a1b3"));
    assertNotEquals(id, SecAggConfig.sessionRoundId(4, "a1b2"));
  }

  @Test
  void sessionRoundId_emptySession_refused() {
    assertThrows(IllegalArgumentException.class, () -> SecAggConfig.sessionRoundId(1, ""));
  }

  @Test
  void advertisement_signedInOneSession_refusedByTheServerOfAnotherSessionOfTheSameRound() {
    SecureRandom random = new SecureRandom();
    List<Ed25519KeyPair> ids = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(Ed25519.generateKeyPair(random));
      keys.add(ids.get(i).publicKey());
    }
    long before = SecAggConfig.sessionRoundId(1, "old-session");
    long after = SecAggConfig.sessionRoundId(1, "new-session");
    byte[] c = X25519.generateKeyPair(random).publicKey();
    byte[] s = X25519.generateKeyPair(random).publicKey();
    KeyAdvertisement old = KeyAdvertisement.sign(before, 0, c, s, new byte[32], ids.get(0).privateKey());
    SecAggServer server = new SecAggServer(SecAggConfig.builder(3, 4).roundId(after).neighbours(2).build(),
        new ClientRoster(keys));

    // As sent: the header names the old session.
    assertThrows(ProtocolViolationException.class, () -> server.receiveAdvertisement(old));
    // Re-labelled by a coordinator into the new session: the signature covers the session, so it fails.
    KeyAdvertisement relabelled = new KeyAdvertisement(after, 0, c, s, new byte[32], old.signature());
    ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
        () -> server.receiveAdvertisement(relabelled));
    assertTrue(e.getMessage().contains("signature"), e.getMessage());
  }
}
