package org.hedgerow.coordinator.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerKeyTest {
  @TempDir Path dir;

  @Test
  void loadOrCreate_secondCall_samePairAndPrivateFileNotWorldReadable() throws Exception {
    Ed25519KeyPair a = LedgerKey.loadOrCreate(dir);
    Ed25519KeyPair b = LedgerKey.loadOrCreate(dir);
    assertArrayEquals(a.publicKey(), b.publicKey());
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve(LedgerKey.PRIVATE_FILE))));
  }
}
