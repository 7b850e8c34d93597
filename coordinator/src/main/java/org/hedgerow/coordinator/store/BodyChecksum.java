package org.hedgerow.coordinator.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * The checksum that proves a stored update body intact: {@code crc32c:} and eight hex digits.
 *
 * <p>Why CRC-32C and not a cryptographic hash: the checksum sits in the database row next to the
 * body's offset, so whoever can rewrite the body file can rewrite the row too; no unkeyed hash
 * stops them, and that threat is the state directory's permissions' job (docs/security.md). What the
 * checksum must catch is a disk that lost or damaged what it acknowledged — torn writes, a truncated
 * file, flipped bits — which CRC-32C detects (every burst up to 32 bits, else all but 2^-32 of random
 * damage), as PostgreSQL's WAL and ext4's metadata use it. It costs about 0.06 ms per MiB here against
 * 1.6 ms for SHA-256, which was most of the store writer's CPU per upload (docs/benchmarks.md).
 * Rows written by schema version 4 carry a bare 64-hex-digit SHA-256; they are still checked as such.
 */
final class BodyChecksum {
  private static final String CRC32C_PREFIX = "crc32c:";

  private BodyChecksum() {
  }

  /** The checksum recorded for {@code body}. */
  static String of(byte[] body) {
    CRC32C crc = new CRC32C();
    crc.update(body, 0, body.length);
    return CRC32C_PREFIX + String.format("%08x", crc.getValue());
  }

  /** True if {@code body} matches {@code recorded} (a CRC-32C, or a legacy SHA-256 in hex). */
  static boolean matches(byte[] body, String recorded) {
    if (recorded.startsWith(CRC32C_PREFIX)) {
      return of(body).equals(recorded);
    }
    return sha256(body).equals(recorded);
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
