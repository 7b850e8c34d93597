package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hedgerow.aggregation.wire.LedgerJson;
import org.hedgerow.coordinator.ledger.LedgerKey;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.hedgerow.privacy.ledger.PrivacyLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandTest {
  @TempDir Path dir;

  private Path writeLedger() throws Exception {
    Ed25519KeyPair key = LedgerKey.loadOrCreate(dir);
    PrivacyLedger l = new PrivacyLedger(key.privateKey(), List.of());
    Ed25519KeyPair silo = org.hedgerow.privacy.crypto.Ed25519.generateKeyPair(new java.security.SecureRandom());
    PrivacyBudget a = new PrivacyBudget("uk-1", 8, 1e-5);
    for (int r = 1; r <= 3; r++) {
      l.append(org.hedgerow.privacy.budget.SignedSpend.sign(a.spend(r, "dp-sgd-user", 1.2, 0.05, 10, 1.0), silo));
    }
    Path file = dir.resolve("ledger.jsonl");
    Files.writeString(file, LedgerJson.toJsonLines(l.entries()));
    return file;
  }

  @Test
  void verify_intactLedger_exit0AndEpsilonTable() throws Exception {
    Path file = writeLedger();
    CliRun r = CliRun.of("audit", "verify", "--ledger", file.toString(), "--coordinator-key",
        dir.resolve(LedgerKey.PUBLIC_FILE).toString());
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("uk-1"), r.out());
    assertTrue(r.out().contains("intact"), r.out());
  }

  @Test
  void verify_editedEpsilon_exit1NamingTheLink() throws Exception {
    Path file = writeLedger();
    List<String> lines = Files.readAllLines(file);
    lines.set(1, lines.get(1).replaceFirst("\"epsilon\":[0-9.eE-]+", "\"epsilon\":0.5"));
    Files.write(file, lines);
    CliRun r = CliRun.of("audit", "verify", "--ledger", file.toString(), "--coordinator-key",
        dir.resolve(LedgerKey.PUBLIC_FILE).toString());
    assertEquals(1, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("link 1 (uk-1, round 2): coordinator countersignature invalid"), r.out());
  }
}
