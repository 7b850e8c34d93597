package org.hedgerow.privacy.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class Ed25519Test {
  // RFC 8032, section 7.1, TEST 1 (empty message).
  private static final String SK = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
  private static final String PK = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  private static final String SIG = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555"
      + "fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

  @Test
  void sign_rfc8032Test1_matchesKnownAnswer() {
    assertArrayEquals(Hex.decode(PK), Ed25519.publicKeyOf(Hex.decode(SK)));
    assertArrayEquals(Hex.decode(SIG), Ed25519.sign(Hex.decode(SK), new byte[0]));
    assertTrue(Ed25519.verify(Hex.decode(PK), new byte[0], Hex.decode(SIG)));
  }

  @Test
  void verify_forgedOrAlteredSignature_returnsFalse() {
    Ed25519KeyPair alice = Ed25519.generateKeyPair(new SecureRandom());
    Ed25519KeyPair mallory = Ed25519.generateKeyPair(new SecureRandom());
    byte[] msg = "keys for round 3".getBytes(StandardCharsets.UTF_8);
    byte[] sig = Ed25519.sign(alice.privateKey(), msg);
    assertTrue(Ed25519.verify(alice.publicKey(), msg, sig));
    // signed by someone else
    assertFalse(Ed25519.verify(alice.publicKey(), msg, Ed25519.sign(mallory.privateKey(), msg)));
    // altered message
    assertFalse(Ed25519.verify(alice.publicKey(), "keys for round 4".getBytes(StandardCharsets.UTF_8), sig));
    // altered signature
    byte[] bad = sig.clone();
    bad[10] ^= 1;
    assertFalse(Ed25519.verify(alice.publicKey(), msg, bad));
    // malformed
    assertFalse(Ed25519.verify(alice.publicKey(), msg, new byte[63]));
    assertFalse(Ed25519.verify(new byte[5], msg, sig));
  }

  @Test
  void decodedPublicKey_verifiesLikeTheEncodedOne_andRejectsMalformedKeys() {
    Ed25519KeyPair alice = Ed25519.generateKeyPair(new SecureRandom());
    byte[] msg = "survivors of round 3".getBytes(StandardCharsets.UTF_8);
    byte[] sig = Ed25519.sign(alice.privateKey(), msg);
    Ed25519PublicKey key = Ed25519PublicKey.decodeOrNull(alice.publicKey());
    assertTrue(key.verify(msg, sig));
    assertTrue(key.verify(msg, sig)); // reusable
    byte[] bad = sig.clone();
    bad[40] ^= 1;
    assertFalse(key.verify(msg, bad));
    assertFalse(key.verify(msg, new byte[10]));
    assertNull(Ed25519PublicKey.decodeOrNull(new byte[31]));
    assertNull(Ed25519PublicKey.decodeOrNull(null));
  }
}
