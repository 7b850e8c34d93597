package org.hedgerow.coordinator.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.hedgerow.privacy.ledger.LedgerEntry;
import org.hedgerow.privacy.ledger.PrivacyLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerJsonTest {
  @TempDir Path dir;

  @Test
  void fromJsonLines_writtenLedger_sameLinksAndHashes() throws Exception {
    Ed25519KeyPair key = LedgerKey.loadOrCreate(dir);
    PrivacyLedger l = new PrivacyLedger(key.privateKey(), List.of());
    PrivacyBudget b = new PrivacyBudget("silo-1", 8, 1e-5);
    for (int r = 1; r <= 3; r++) {
      l.append(b.spend(r, "dp-sgd-user", 4.0 / 3, 0.0123, 7, 1.0), new byte[] {1, 2, 3});
    }
    List<LedgerEntry> back = LedgerJson.fromJsonLines(LedgerJson.toJsonLines(l.entries()));
    assertEquals(3, back.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(l.entries().get(i).hash(), back.get(i).hash());
      assertEquals(l.entries().get(i).spend(), back.get(i).spend());
    }
  }

  @Test
  void fromJsonLines_missingField_errorNamesLineAndField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LedgerJson.fromJsonLines("\n{\"sequence\":0}\n"));
    assertTrue(e.getMessage().contains("ledger line 2"), e.getMessage());
    assertTrue(e.getMessage().contains("'round'"), e.getMessage());
  }

  @Test
  void loadOrCreate_secondCall_samePairAndPrivateFileNotWorldReadable() throws Exception {
    Ed25519KeyPair a = LedgerKey.loadOrCreate(dir);
    Ed25519KeyPair b = LedgerKey.loadOrCreate(dir);
    assertArrayEquals(a.publicKey(), b.publicKey());
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve(LedgerKey.PRIVATE_FILE))));
  }
}
