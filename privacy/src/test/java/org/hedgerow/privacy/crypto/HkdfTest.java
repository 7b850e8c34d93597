package org.hedgerow.privacy.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HkdfTest {
  @Test
  void sha256_rfc5869TestCase1_matchesKnownAnswer() {
    byte[] ikm = Hex.decode("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    byte[] salt = Hex.decode("000102030405060708090a0b0c");
    byte[] info = Hex.decode("f0f1f2f3f4f5f6f7f8f9");
    byte[] okm = Hex.decode(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    assertArrayEquals(okm, Hkdf.sha256(ikm, salt, info, 42));
  }

  @Test
  void sha256_differentInfo_givesIndependentKeys() {
    byte[] ikm = new byte[32];
    assertFalse(Arrays.equals(Hkdf.sha256(ikm, null, new byte[] {1}, 32), Hkdf.sha256(ikm, null, new byte[] {2}, 32)));
  }

  @Test
  void sha256_lengthOutOfRange_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> Hkdf.sha256(new byte[1], null, null, 0));
    assertThrows(IllegalArgumentException.class, () -> Hkdf.sha256(new byte[1], null, null, 255 * 32 + 1));
    assertThrows(IllegalArgumentException.class, () -> Hkdf.sha256(new byte[0], null, null, 32));
  }
}
