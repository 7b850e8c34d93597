package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.hedgerow.aggregation.wire.LedgerJson;
import org.hedgerow.aggregation.wire.SpendJson;
import org.hedgerow.coordinator.ledger.LedgerKey;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.hedgerow.privacy.crypto.Hex;
import org.hedgerow.privacy.ledger.PrivacyLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandTest {
  @TempDir Path dir;
  private final Ed25519KeyPair silo = Ed25519.generateKeyPair(new SecureRandom());
  private final List<SignedSpend> siloLog = new ArrayList<>();

  /** uk-1's statistics release and three rounds, signed by uk-1 and countersigned; its own log alongside. */
  private Path writeLedger() throws Exception {
    Ed25519KeyPair key = LedgerKey.loadOrCreate(dir);
    PrivacyLedger l = new PrivacyLedger(key.privateKey(), List.of());
    PrivacyBudget a = new PrivacyBudget("uk-1", 8, 1e-5);
    siloLog.add(SignedSpend.sign(a.chargeGaussianRelease("silo-stats-gaussian", 4.0), silo));
    for (int r = 1; r <= 3; r++) {
      siloLog.add(SignedSpend.sign(a.spend(r, "dp-sgd-user", 1.2, 0.05, 10, 1.0), silo));
    }
    siloLog.forEach(l::append);
    Path file = dir.resolve("ledger.jsonl");
    Files.writeString(file, LedgerJson.toJsonLines(l.entries()));
    return file;
  }

  private Path writeSiloLog(List<SignedSpend> log) throws Exception {
    Path file = dir.resolve("uk-1-spends.jsonl");
    StringBuilder b = new StringBuilder();
    log.forEach(s -> b.append(SpendJson.line(s)).append('\n'));
    Files.writeString(file, b.toString());
    return file;
  }

  private CliRun verify(Path ledger, String... more) {
    List<String> args = new ArrayList<>(List.of("audit", "verify", "--ledger", ledger.toString(), "--coordinator-key",
        dir.resolve(LedgerKey.PUBLIC_FILE).toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void verify_intactLedgerWithPinnedKeyAndSiloLog_exit0HeadAndEpsilonTable() throws Exception {
    Path file = writeLedger();
    CliRun r = verify(file, "--silo-key", "uk-1=" + Hex.encode(silo.publicKey()), "--silo-log",
        "uk-1=" + writeSiloLog(siloLog));
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("uk-1"), r.out());
    assertTrue(r.out().contains("head "), r.out());
    assertTrue(r.out().contains("intact"), r.out());
  }

  @Test
  void verify_editedEpsilon_exit1NamingTheLink() throws Exception {
    Path file = writeLedger();
    List<String> lines = Files.readAllLines(file);
    lines.set(2, lines.get(2).replaceFirst("\"epsilon\":[0-9.eE-]+", "\"epsilon\":0.5"));
    Files.write(file, lines);
    CliRun r = verify(file);
    assertEquals(1, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("link 2 (uk-1, counter 2, round 2): coordinator countersignature invalid"), r.out());
    assertTrue(r.out().contains("link 2 (uk-1, counter 2, round 2): silo signature invalid"), r.out());
    assertTrue(r.out().contains("under-reported"), r.out());
  }

  @Test
  void verify_pinnedKeysFileMismatch_exit1() throws Exception {
    Path file = writeLedger();
    Path keys = dir.resolve("keys.json");
    Ed25519KeyPair other = Ed25519.generateKeyPair(new SecureRandom());
    Files.writeString(keys, "{\"uk-1\": \"" + Hex.encode(other.publicKey()) + "\"}");
    CliRun r = verify(file, "--silo-keys", keys.toString());
    assertEquals(1, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("is not the key pinned for uk-1"), r.out());
  }

  @Test
  void verify_siloLogDisagreesAndJson_exit1OneJsonObject() throws Exception {
    Path file = writeLedger();
    List<SignedSpend> log = new ArrayList<>(siloLog);
    log.remove(3); // the silo's log lacks counter 3, which the ledger holds
    CliRun r = verify(file, "--silo-log", "uk-1=" + writeSiloLog(log), "--json");
    assertEquals(1, r.exitCode(), r.out() + r.err());
    JsonNode o = new ObjectMapper().readTree(r.out());
    assertFalse(o.get("intact").asBoolean());
    assertEquals(4, o.get("links").asInt());
    assertEquals(64, o.get("head").asText().length());
    assertTrue(o.get("findings").toString().contains("not in the silo's own log"), o.toString());
    assertEquals(3, o.get("holders").get("uk-1").get("last_counter").asInt());
    assertEquals(1, o.get("holders").get("uk-1").get("releases").asInt());
  }

  @Test
  void export_storeWithSignedSpends_ledgerVerifiesWithThePinnedKey() throws Exception {
    LedgerKey.loadOrCreate(dir);
    org.hedgerow.aggregation.model.ModelSpec spec = new org.hedgerow.aggregation.model.ModelSpec("t",
        List.of(2, 2, 1), "relu", "sigmoid", 0, "binary-cross-entropy", 1e-3);
    org.hedgerow.coordinator.Federation f = new org.hedgerow.coordinator.Federation(
        org.hedgerow.coordinator.CoordinatorOptions.of(spec, 2, 1, 7),
        new org.hedgerow.aggregation.strategy.FedAvg(new org.hedgerow.aggregation.strategy.FitConfig(1, 8, 1)));
    try (org.hedgerow.coordinator.store.JdbcCoordinatorStore store = org.hedgerow.coordinator.store.JdbcCoordinatorStore
        .open(org.hedgerow.coordinator.store.StoreLocation.sqlite(dir.resolve("coordinator.db")))) {
      store.open(f.identity(), f.model(), f.strategy().state());
      org.hedgerow.coordinator.Federation.PendingJoin j = f.prepareRegister("uk-1", silo.publicKey(), 1);
      store.join(j.participant(), j.credential()).join();
      f.joined(j);
      PrivacyBudget b = new PrivacyBudget("uk-1", 8, 1e-5);
      org.hedgerow.coordinator.Federation.PendingSpends p = f.prepareSpends(f.participant("uk-1").orElseThrow(),
          List.of(SignedSpend.sign(b.chargeGaussianRelease("silo-stats-gaussian", 4.0), silo)));
      store.recordSpends(p.toStore()).join();
    }
    Path out = dir.resolve("exported.jsonl");
    CliRun e = CliRun.of("audit", "export", "--dir", dir.toString(), "--out", out.toString());
    assertEquals(0, e.exitCode(), e.out() + e.err());
    assertTrue(e.out().contains("1 links, head "), e.out());
    CliRun r = verify(out, "--silo-key", "uk-1=" + Hex.encode(silo.publicKey()));
    assertEquals(0, r.exitCode(), r.out() + r.err());
  }

  @Test
  void coordinatorStart_unknownPrivacy_exit2NamingIt() {
    CliRun r = CliRun.of("coordinator", "start", "--clients", "1", "--port", "0", "--privacy", "central-ish");
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("privacy must be 'none' or 'local'. Provided value: central-ish"), r.err());
  }

  @Test
  void verify_badPinnedKey_exit2NamingIt() throws Exception {
    CliRun r = verify(writeLedger(), "--silo-key", "uk-1=abcd");
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("the key pinned for 'uk-1' has 2 bytes"), r.err());
  }
}
