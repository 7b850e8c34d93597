package org.hedgerow.privacy.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class X25519Test {
  // RFC 7748, section 6.1.
  private static final String ALICE_SK = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
  private static final String ALICE_PK = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
  private static final String BOB_SK = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
  private static final String BOB_PK = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
  private static final String SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

  @Test
  void agree_rfc7748Vector_matchesKnownAnswer() {
    assertArrayEquals(Hex.decode(ALICE_PK), X25519.publicKeyOf(Hex.decode(ALICE_SK)));
    assertArrayEquals(Hex.decode(BOB_PK), X25519.publicKeyOf(Hex.decode(BOB_SK)));
    assertArrayEquals(Hex.decode(SHARED), X25519.agree(Hex.decode(ALICE_SK), Hex.decode(BOB_PK)));
    assertArrayEquals(Hex.decode(SHARED), X25519.agree(Hex.decode(BOB_SK), Hex.decode(ALICE_PK)));
  }

  @Test
  void agree_freshKeyPairs_bothSidesDeriveSameSecret() {
    SecureRandom random = new SecureRandom();
    X25519KeyPair a = X25519.generateKeyPair(random);
    X25519KeyPair b = X25519.generateKeyPair(random);
    assertArrayEquals(X25519.agree(a.privateKey(), b.publicKey()), X25519.agree(b.privateKey(), a.publicKey()));
  }

  @Test
  void agree_smallOrderPeerKey_throwsIllegalArgument() {
    byte[] sk = X25519.generateKeyPair(new SecureRandom()).privateKey();
    assertThrows(IllegalArgumentException.class, () -> X25519.agree(sk, new byte[32]));
  }

  @Test
  void agree_wrongKeyLength_throwsIllegalArgument() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> X25519.agree(new byte[31], new byte[32]));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("privateKey must be exactly 32 bytes"));
  }
}
