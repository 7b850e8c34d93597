package org.hedgerow.coordinator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyChecksumTest {
  private static final byte[] BODY = "123456789".getBytes(StandardCharsets.US_ASCII);

  @Test
  void of_standardCheckInput_isTheKnownCrc32c() {
    // RFC 3720 (iSCSI) B.4 gives CRC-32C("123456789") = 0xE3069283.
    assertEquals("crc32c:e3069283", BodyChecksum.of(BODY));
  }

  @Test
  void matches_oneFlippedBit_isFalse() {
    byte[] damaged = BODY.clone();
    damaged[4] ^= 0x08;
    assertTrue(BodyChecksum.matches(BODY, BodyChecksum.of(BODY)));
    assertFalse(BodyChecksum.matches(damaged, BodyChecksum.of(BODY)));
  }

  @Test
  void matches_legacySha256FromSchemaVersion4_isCheckedAsSha256() {
    String sha256 = "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225"; // SHA-256("123456789")
    assertTrue(BodyChecksum.matches(BODY, sha256));
    assertFalse(BodyChecksum.matches("123456780".getBytes(StandardCharsets.US_ASCII), sha256));
  }
}
