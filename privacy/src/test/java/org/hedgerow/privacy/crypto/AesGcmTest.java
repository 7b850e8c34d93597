package org.hedgerow.privacy.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AesGcmTest {
  private final SecureRandom random = new SecureRandom();
  private final AesGcm gcm = new AesGcm();
  private final byte[] key = key();
  private final byte[] aad = "round=7|from=1|to=2".getBytes(StandardCharsets.UTF_8);
  private final byte[] plaintext = "a share of a secret".getBytes(StandardCharsets.UTF_8);

  private byte[] key() {
    byte[] k = new byte[32];
    random.nextBytes(k);
    return k;
  }

  @Test
  void open_sealedMessage_returnsPlaintext() {
    byte[] sealed = gcm.seal(key, plaintext, aad);
    assertEquals(plaintext.length + AesGcm.OVERHEAD_BYTES, sealed.length);
    assertArrayEquals(plaintext, AesGcm.open(key, sealed, aad));
  }

  @Test
  void seal_samePlaintextTwice_usesFreshNonces() {
    assertFalse(Arrays.equals(gcm.seal(key, plaintext, aad), gcm.seal(key, plaintext, aad)));
  }

  @Test
  void open_tamperedCiphertext_throwsAuthenticationFailed() {
    byte[] sealed = gcm.seal(key, plaintext, aad);
    for (int i = 0; i < sealed.length; i++) { // every byte: nonce, body and tag
      byte[] t = sealed.clone();
      t[i] ^= 0x01;
      assertThrows(AuthenticationFailedException.class, () -> AesGcm.open(key, t, aad), "byte " + i);
    }
  }

  @Test
  void open_wrongAssociatedData_throwsAuthenticationFailed() {
    byte[] sealed = gcm.seal(key, plaintext, aad);
    byte[] other = "round=7|from=2|to=1".getBytes(StandardCharsets.UTF_8);
    assertThrows(AuthenticationFailedException.class, () -> AesGcm.open(key, sealed, other));
  }

  @Test
  void open_wrongKey_throwsAuthenticationFailed() {
    byte[] sealed = gcm.seal(key, plaintext, aad);
    assertThrows(AuthenticationFailedException.class, () -> AesGcm.open(key(), sealed, aad));
  }

  @Test
  void open_truncatedInput_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> AesGcm.open(key, new byte[27], aad));
  }
}
