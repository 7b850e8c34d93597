package org.hedgerow.privacy.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.Test;

class LedgerVerifierTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Ed25519KeyPair coordinator = Ed25519.generateKeyPair(RANDOM);
  private final Ed25519KeyPair siloA = Ed25519.generateKeyPair(RANDOM);
  private final Ed25519KeyPair siloB = Ed25519.generateKeyPair(RANDOM);

  /** Three rounds of two silos, each spend taken from a real budget (so ε is the accountant's). */
  private PrivacyLedger ledger() {
    PrivacyBudget a = new PrivacyBudget("a", 8, 1e-5);
    PrivacyBudget b = new PrivacyBudget("b", 8, 1e-5);
    PrivacyLedger l = new PrivacyLedger(coordinator.privateKey(), List.of());
    for (int r = 1; r <= 3; r++) {
      Spend sa = a.spend(r, "dp-sgd-user", 1.1, 0.05, 20, 1.0);
      Spend sb = b.spend(r, "dp-sgd-user", 1.3, 0.1, 10, 1.0);
      l.append(sa, Ed25519.sign(siloA.privateKey(), LedgerEntry.spendBytes(sa)));
      l.append(sb, Ed25519.sign(siloB.privateKey(), LedgerEntry.spendBytes(sb)));
    }
    return l;
  }

  private Map<String, byte[]> siloKeys() {
    return Map.of("a", siloA.publicKey(), "b", siloB.publicKey());
  }

  @Test
  void verify_untouchedLedger_intactAndEpsilonMatchesAccountant() {
    PrivacyLedger l = ledger();
    LedgerVerifier.Report r = LedgerVerifier.verify(l.entries(), coordinator.publicKey(), siloKeys());
    assertTrue(r.intact(), r.findings().toString());
    assertEquals(6, r.links());
    assertEquals(l.head(), r.head());
    LedgerVerifier.HolderSummary a = r.holders().get("a");
    assertEquals(3, a.links());
    assertEquals(a.recomputedEpsilon(), a.reportedEpsilon(), 1e-12 * a.reportedEpsilon());
    assertTrue(a.signed());
  }

  @Test
  void verify_editedEpsilonInEarlierLink_chainAndSignatureFindings() {
    List<LedgerEntry> entries = new ArrayList<>(ledger().entries());
    LedgerEntry e = entries.get(2);
    Spend s = e.spend();
    Spend lowered = new Spend(s.round(), s.holder(), s.mechanism(), s.noiseMultiplier(), s.sampleRate(), s.steps(),
        s.epsilon() / 2, s.delta(), s.cap(), 1.0, 0);
    entries.set(2, new LedgerEntry(e.sequence(), e.previousHash(), lowered, e.siloSignature(),
        e.coordinatorSignature()));
    LedgerVerifier.Report r = LedgerVerifier.verify(entries, coordinator.publicKey(), siloKeys());
    assertFalse(r.intact());
    String all = String.join("\n", r.findings());
    assertTrue(all.contains("link 2 (a, round 2): coordinator countersignature invalid"), all);
    assertTrue(all.contains("link 2 (a, round 2): silo signature invalid"), all);
    assertTrue(all.contains("link 3 does not follow link 2"), all);
  }

  @Test
  void verify_removedLink_sequenceAndChainFindings() {
    List<LedgerEntry> entries = new ArrayList<>(ledger().entries());
    entries.remove(1);
    LedgerVerifier.Report r = LedgerVerifier.verify(entries, coordinator.publicKey(), siloKeys());
    String all = String.join("\n", r.findings());
    assertTrue(all.contains("link 1 has sequence 2"), all);
    assertTrue(all.contains("link 1 does not follow link 0"), all);
  }

  @Test
  void verify_underReportedEpsilonSignedByEveryone_flaggedByAccountant() {
    PrivacyLedger l = new PrivacyLedger(coordinator.privateKey(), List.of());
    Spend honest = new PrivacyBudget("a", 8, 1e-5).spend(1, "dp-sgd-user", 1.1, 0.05, 20, 1.0);
    Spend low = new Spend(1, "a", "dp-sgd-user", 1.1, 0.05, 20, honest.epsilon() * 0.9, 1e-5, 8, 1.0, 0);
    l.append(low, Ed25519.sign(siloA.privateKey(), LedgerEntry.spendBytes(low)));
    LedgerVerifier.Report r = LedgerVerifier.verify(l.entries(), coordinator.publicKey(), siloKeys());
    assertEquals(1, r.findings().size(), r.findings().toString());
    assertTrue(r.findings().get(0).contains("under-reported"), r.findings().toString());
  }

  @Test
  void verify_epsilonOverCap_flagged() {
    PrivacyLedger l = new PrivacyLedger(coordinator.privateKey(), List.of());
    Spend over = new Spend(1, "b", "dp-sgd-user", 0.5, 1.0, 100, 50, 1e-5, 8, 1.0, 0);
    l.append(over, new byte[0]);
    LedgerVerifier.Report r = LedgerVerifier.verify(l.entries(), coordinator.publicKey(), Map.of());
    assertTrue(r.findings().stream().anyMatch(f -> f.contains("exceeds the cap 8.0")), r.findings().toString());
    assertFalse(r.holders().get("b").signed());
  }

  @Test
  void verify_listedSiloWithoutSignature_flaggedMissing() {
    PrivacyLedger l = new PrivacyLedger(coordinator.privateKey(), List.of());
    l.append(new PrivacyBudget("a", 8, 1e-5).spend(1, "dp-sgd-user", 1.1, 0.05, 20, 1.0), new byte[0]);
    LedgerVerifier.Report r = LedgerVerifier.verify(l.entries(), coordinator.publicKey(), siloKeys());
    assertTrue(r.findings().stream().anyMatch(f -> f.contains("silo signature missing")), r.findings().toString());
  }

  @Test
  void verify_wrongCoordinatorKey_everyLinkFlagged() {
    LedgerVerifier.Report r = LedgerVerifier.verify(ledger().entries(), siloA.publicKey(), siloKeys());
    assertEquals(6, r.findings().stream().filter(f -> f.contains("countersignature invalid")).count());
  }

  @Test
  void constructor_brokenStoredChain_refusedNamingTheLink() {
    List<LedgerEntry> entries = new ArrayList<>(ledger().entries());
    entries.remove(3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PrivacyLedger(coordinator.privateKey(), entries));
    assertTrue(e.getMessage().contains("broken at link 3"), e.getMessage());
  }

  @Test
  void append_afterReload_continuesTheChain() {
    PrivacyLedger first = ledger();
    PrivacyLedger reloaded = new PrivacyLedger(coordinator.privateKey(), first.entries());
    Spend s = new PrivacyBudget("c", 8, 1e-5).spend(1, "dp-sgd-user", 2, 0.01, 5, 1.0);
    LedgerEntry e = reloaded.append(s, new byte[0]);
    assertEquals(6, e.sequence());
    assertEquals(first.head(), e.previousHash());
    assertTrue(LedgerVerifier.verify(reloaded.entries(), coordinator.publicKey(), siloKeys()).intact());
  }
}
