package org.hedgerow.privacy.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hedgerow.privacy.accounting.DistributedGaussianParameters;
import org.hedgerow.privacy.accounting.DistributedGaussianSum;
import org.hedgerow.privacy.accounting.DpEvent;
import org.hedgerow.privacy.accounting.GaussianEvent;
import org.hedgerow.privacy.accounting.RdpAccountant;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.Test;

class LedgerVerifierTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Ed25519KeyPair coordinator = Ed25519.generateKeyPair(RANDOM);
  private final Ed25519KeyPair siloA = Ed25519.generateKeyPair(RANDOM);
  private final Ed25519KeyPair siloB = Ed25519.generateKeyPair(RANDOM);
  /** Silo a's own log, as it would write spends.jsonl. */
  private final List<SignedSpend> logA = new ArrayList<>();

  /** A statistics release and three rounds of silo a, three rounds of silo b, from real budgets. */
  private PrivacyLedger ledger() {
    PrivacyBudget a = new PrivacyBudget("a", 8, 1e-5);
    PrivacyBudget b = new PrivacyBudget("b", 8, 1e-5);
    PrivacyLedger l = new PrivacyLedger(coordinator.privateKey(), List.of());
    logA.clear();
    logA.add(SignedSpend.sign(a.chargeGaussianRelease("silo-stats-gaussian", 4.0), siloA));
    l.append(logA.get(0));
    for (int r = 1; r <= 3; r++) {
      SignedSpend sa = SignedSpend.sign(a.spend(r, "dp-sgd-user", 1.1, 0.05, 20, 1.0), siloA);
      logA.add(sa);
      l.append(sa);
      l.append(SignedSpend.sign(b.spend(r, "dp-sgd-user", 1.3, 0.1, 10, 1.0), siloB));
    }
    return l;
  }

  private Map<String, byte[]> siloKeys() {
    return Map.of("a", siloA.publicKey(), "b", siloB.publicKey());
  }

  private static String all(LedgerVerifier.Report r) {
    return String.join("\n", r.findings());
  }

  /** A ledger of {@code spends} of holder a, each signed by a and countersigned. */
  private List<LedgerEntry> chain(Spend... spends) {
    PrivacyLedger l = new PrivacyLedger(coordinator.privateKey(), List.of());
    for (Spend s : spends) {
      l.append(SignedSpend.sign(s, siloA));
    }
    return l.entries();
  }

  private static Spend withEpsilon(Spend s, double epsilon) {
    return new Spend(s.round(), s.holder(), s.mechanism(), s.noiseMultiplier(), s.sampleRate(), s.steps(), epsilon,
        s.delta(), s.cap(), s.clipNorm(), s.counter());
  }

  @Test
  void verify_untouchedLedger_intactAndEpsilonMatchesAccountant() {
    PrivacyLedger l = ledger();
    LedgerVerifier.Report r = LedgerVerifier.verify(l.entries(), coordinator.publicKey(), siloKeys(),
        Map.of("a", logA));
    assertTrue(r.intact(), all(r));
    assertEquals(7, r.links());
    assertEquals(l.head(), r.head());
    LedgerVerifier.HolderSummary a = r.holders().get("a");
    assertEquals(4, a.links());
    assertEquals(1, a.releases());
    assertEquals(a.recomputedEpsilon(), a.reportedEpsilon());
    assertTrue(a.signed());
    assertEquals(3, a.lastCounter());
    assertTrue(a.unreported().isEmpty());
    assertTrue(r.notes().isEmpty(), r.notes().toString());
  }

  @Test
  void verify_alteredSpendInEarlierLink_chainSignatureAndLogFindings() {
    List<LedgerEntry> entries = new ArrayList<>(ledger().entries());
    LedgerEntry e = entries.get(3);
    Spend s = e.spend();
    Spend lowered = new Spend(s.round(), s.holder(), s.mechanism(), s.noiseMultiplier() * 2, s.sampleRate(), s.steps(),
        s.epsilon(), s.delta(), s.cap(), s.clipNorm(), s.counter());
    entries.set(3, new LedgerEntry(e.sequence(), e.previousHash(), lowered, e.publicKey(), e.siloSignature(),
        e.coordinatorSignature()));
    LedgerVerifier.Report r = LedgerVerifier.verify(entries, coordinator.publicKey(), siloKeys(), Map.of("a", logA));
    assertFalse(r.intact());
    String all = all(r);
    assertTrue(all.contains("link 3 (a, counter 2, round 2): coordinator countersignature invalid"), all);
    assertTrue(all.contains("link 3 (a, counter 2, round 2): silo signature invalid"), all);
    assertTrue(all.contains("link 4 does not follow link 3"), all);
    assertTrue(all.contains("link 3 (a, counter 2, round 2) differs from the silo's own log: noise_multiplier"), all);
  }

  @Test
  void verify_removedLink_sequenceChainAndCounterFindings() {
    List<LedgerEntry> entries = new ArrayList<>(ledger().entries());
    entries.remove(1);
    LedgerVerifier.Report r = LedgerVerifier.verify(entries, coordinator.publicKey(), siloKeys(), Map.of("a", logA));
    String all = all(r);
    assertTrue(all.contains("link 1 has sequence 2"), all);
    assertTrue(all.contains("link 1 does not follow link 0"), all);
    assertTrue(all.contains("counter 2 does not follow 0 (expected 1)"), all);
    assertTrue(all.contains("a counter 1 (round 1, dp-sgd-user"), all);
    assertTrue(all.contains("dropped by the coordinator"), all);
  }

  @Test
  void verify_counterBackToZero_budgetLogResetFinding() {
    PrivacyBudget first = new PrivacyBudget("a", 8, 1e-5);
    Spend r1 = first.spend(1, "dp-sgd-user", 1.1, 0.05, 20, 1.0);
    Spend r2 = new PrivacyBudget("a", 8, 1e-5).spend(2, "dp-sgd-user", 1.1, 0.05, 20, 1.0); // a fresh budget: counter 0
    LedgerVerifier.Report r = LedgerVerifier.verify(chain(r1, r2), coordinator.publicKey(), Map.of());
    String all = all(r);
    assertTrue(all.contains("link 1 (a, counter 0, round 2): budget log reset (counter back to 0 after counter 0)"),
        all);
    assertTrue(all.contains("under-reported"), all); // the fresh budget forgot round 1
  }

  @Test
  void verify_underReportedEpsilonSignedByEveryone_flaggedUnderReported() {
    Spend honest = new PrivacyBudget("a", 8, 1e-5).spend(1, "dp-sgd-user", 1.1, 0.05, 20, 1.0);
    LedgerVerifier.Report r = LedgerVerifier.verify(chain(withEpsilon(honest, honest.epsilon() * 0.9)),
        coordinator.publicKey(), siloKeys());
    assertEquals(1, r.findings().size(), all(r));
    assertTrue(r.findings().get(0).contains("under-reported"), all(r));
  }

  @Test
  void verify_overReportedEpsilon_flaggedOverReported() {
    Spend honest = new PrivacyBudget("a", 8, 1e-5).spend(1, "dp-sgd-user", 1.1, 0.05, 20, 1.0);
    LedgerVerifier.Report r = LedgerVerifier.verify(chain(withEpsilon(honest, Math.nextUp(honest.epsilon() * 1.001))),
        coordinator.publicKey(), siloKeys());
    assertEquals(1, r.findings().size(), all(r));
    assertTrue(r.findings().get(0).contains("over-reported"), all(r));
  }

  @Test
  void verify_epsilonOverCap_flagged() {
    Spend over = new Spend(1, "a", "dp-sgd-user", 0.5, 1.0, 100, 50, 1e-5, 8, 1.0, 0);
    LedgerVerifier.Report r = LedgerVerifier.verify(chain(over), coordinator.publicKey(), Map.of());
    assertTrue(r.findings().stream().anyMatch(f -> f.contains("exceeds the cap 8.0")), all(r));
  }

  @Test
  void verify_pinnedKeyMismatch_flagged() {
    LedgerVerifier.Report r = LedgerVerifier.verify(ledger().entries(), coordinator.publicKey(),
        Map.of("a", siloB.publicKey()));
    assertTrue(all(r).contains("is not the key pinned for a"), all(r));
    assertEquals(4, r.findings().size(), all(r)); // each of a's four links
  }

  @Test
  void verify_keyChangesMidLog_flagged() {
    PrivacyBudget a = new PrivacyBudget("a", 8, 1e-5);
    PrivacyLedger l = new PrivacyLedger(coordinator.privateKey(), List.of());
    l.append(SignedSpend.sign(a.spend(1, "dp-sgd-user", 1.1, 0.05, 20, 1.0), siloA));
    l.append(SignedSpend.sign(a.spend(2, "dp-sgd-user", 1.1, 0.05, 20, 1.0), siloB));
    LedgerVerifier.Report r = LedgerVerifier.verify(l.entries(), coordinator.publicKey(), Map.of());
    assertTrue(all(r).contains("differs from the holder's earlier key"), all(r));
  }

  @Test
  void verify_siloLinkWithoutSignature_flaggedMissing() {
    PrivacyLedger l = new PrivacyLedger(coordinator.privateKey(), List.of());
    l.append(new PrivacyBudget("a", 8, 1e-5).spend(1, "dp-sgd-user", 1.1, 0.05, 20, 1.0));
    LedgerVerifier.Report r = LedgerVerifier.verify(l.entries(), coordinator.publicKey(), Map.of());
    assertTrue(all(r).contains("silo link without a public key (silo signature missing)"), all(r));
    assertFalse(r.holders().get("a").signed());
  }

  @Test
  void verify_coordinatorsOwnCentralLinks_needNoSiloSignature() {
    PrivacyBudget c = new PrivacyBudget("coordinator", 8, 1e-5);
    PrivacyLedger l = new PrivacyLedger(coordinator.privateKey(), List.of());
    l.append(c.spend(1, "central-gaussian", 2.0, 1.0, 1, 1.0));
    l.append(c.spend(2, "central-gaussian", 2.0, 1.0, 1, 1.0));
    LedgerVerifier.Report r = LedgerVerifier.verify(l.entries(), coordinator.publicKey(), Map.of());
    assertTrue(r.intact(), all(r));
  }

  @Test
  void verify_unknownMechanismAndReleaseAfterRound_flagged() {
    PrivacyBudget a = new PrivacyBudget("a", 8, 1e-5);
    Spend round = a.spend(1, "dp-sgd-user", 1.1, 0.05, 20, 1.0);
    Spend release = new Spend(0, "a", "laplace-ish", 4.0, 1.0, 1, 0, 1e-5, 8, 1.0, 1);
    release = withEpsilon(release, org.hedgerow.privacy.budget.SpendAccounting.epsilon(List.of(round, release), 1e-5));
    LedgerVerifier.Report r = LedgerVerifier.verify(chain(round, release), coordinator.publicKey(), Map.of());
    String all = all(r);
    assertTrue(all.contains("unknown mechanism 'laplace-ish'"), all);
    assertTrue(all.contains("a release after training rounds"), all);
  }

  @Test
  void verify_siloLogDisagrees_findingNamesTheField() {
    PrivacyLedger l = ledger();
    List<SignedSpend> log = new ArrayList<>(logA);
    Spend s = log.get(2).spend();
    // The silo's own record of counter 2 says it ran 40 steps; the ledger says 20.
    Spend other = new Spend(s.round(), s.holder(), s.mechanism(), s.noiseMultiplier(), s.sampleRate(), 40, s.epsilon(),
        s.delta(), s.cap(), s.clipNorm(), s.counter());
    log.set(2, SignedSpend.sign(other, siloA));
    LedgerVerifier.Report r = LedgerVerifier.verify(l.entries(), coordinator.publicKey(), siloKeys(), Map.of("a", log));
    assertTrue(all(r).contains("(a, counter 2, round 2) differs from the silo's own log: steps log 40, ledger 20"),
        all(r));
  }

  @Test
  void verify_siloLogLongerThanLedger_unreportedTailIsANoteNotAFinding() {
    PrivacyLedger l = ledger();
    List<SignedSpend> log = new ArrayList<>(logA);
    PrivacyBudget a = PrivacyBudget.restore("a", 8, 1e-5, log.stream().map(SignedSpend::spend).toList());
    log.add(SignedSpend.sign(a.spend(4, "dp-sgd-user", 1.1, 0.05, 20, 1.0), siloA));
    LedgerVerifier.Report r = LedgerVerifier.verify(l.entries(), coordinator.publicKey(), siloKeys(), Map.of("a", log));
    assertTrue(r.intact(), all(r));
    assertEquals(List.of(4L), r.holders().get("a").unreported());
    assertTrue(r.notes().get(0).contains("charged at the silo, never reported to the coordinator"), r.notes().toString());
  }

  @Test
  void verify_wrongCoordinatorKey_everyLinkFlagged() {
    LedgerVerifier.Report r = LedgerVerifier.verify(ledger().entries(), siloA.publicKey(), siloKeys());
    assertEquals(7, r.findings().stream().filter(f -> f.contains("countersignature invalid")).count());
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
    LedgerEntry e = reloaded.append(SignedSpend.sign(s, siloB));
    assertEquals(7, e.sequence());
    assertEquals(first.head(), e.previousHash());
    assertTrue(LedgerVerifier.verify(reloaded.entries(), coordinator.publicKey(), siloKeys()).intact());
  }

  /** σ² per share, t = 5 of n = 14, d = 13,057, γ = 100·√d, η = C = 1, 16 bits in Z_{2^32}. */
  private static final DistributedGaussianParameters DDP = DistributedGaussianParameters.of(1e8, 5, 14, 13_057,
      100 * Math.sqrt(13_057), 1.0, 1.0, 16, 32);

  /** Two releases and three distributed-DP rounds of silo a, from a real budget. */
  private List<LedgerEntry> distributedLedger(PrivacyBudget a) {
    PrivacyLedger l = new PrivacyLedger(coordinator.privateKey(), List.of());
    l.append(SignedSpend.sign(a.chargeGaussianRelease("silo-stats-gaussian", 4.0), siloA));
    l.append(SignedSpend.sign(a.chargeGaussianRelease("silo-count-gaussian", 10.0), siloA));
    for (int r = 1; r <= 3; r++) {
      l.append(SignedSpend.sign(a.spendDistributed(r, LedgerVerifier.DISTRIBUTED_MECHANISM, DDP, 1.0), siloA));
    }
    return l.entries();
  }

  /** A silo's distributed-DP rounds (releases, then unsampled rounds at the sum's effective z) verify like any other. */
  @Test
  void verify_distributedDpRounds_intactAndRecomputedFromTheirParameters() {
    PrivacyBudget a = new PrivacyBudget("a", 8, 1e-5);
    List<LedgerEntry> entries = distributedLedger(a);
    LedgerVerifier.Report report = LedgerVerifier.verify(entries, coordinator.publicKey(), siloKeys());
    assertTrue(report.intact(), all(report));
    assertEquals(DDP, entries.get(4).spend().distributed());
    assertEquals(DDP.effectiveNoiseMultiplier(), entries.get(4).spend().noiseMultiplier());
    LedgerVerifier.HolderSummary h = report.holders().get("a");
    // The accountant on the recorded parameters alone: two releases, then three rounds at their z.
    RdpAccountant accountant = new RdpAccountant();
    accountant.compose(new GaussianEvent(4.0));
    accountant.compose(new GaussianEvent(10.0));
    accountant.compose(DpEvent.sampledGaussian(DistributedGaussianSum.effectiveNoiseMultiplier(DDP.l2Sensitivity(),
        DDP.shareVariance(), DDP.minSurvivors(), DDP.maxContributors(), DDP.dimension()), 1.0, 3));
    assertEquals(accountant.epsilon(1e-5).epsilon(), h.recomputedEpsilon());
    assertEquals(a.epsilon(), h.reportedEpsilon());
  }

  /**
   * Each recorded parameter of a distributed round, edited and the link re-signed by silo and coordinator
   * alike (so signatures hold): the recomputation from the entry catches it.
   */
  @Test
  void verify_distributedParameterEditedAndResigned_findingNamesIt() {
    Spend honest = distributedLedger(new PrivacyBudget("a", 8, 1e-5)).get(2).spend();
    Map<String, DistributedGaussianParameters> edits = new java.util.LinkedHashMap<>();
    DistributedGaussianParameters d = DDP;
    edits.put("noise_multiplier", new DistributedGaussianParameters(d.shareVariance() * 4, d.minSurvivors(),
        d.maxContributors(), d.dimension(), d.scale(), d.learningRate(), d.l2Sensitivity(),
        DistributedGaussianSum.tau(d.shareVariance() * 4, d.maxContributors()), d.bits(), d.modulusBits()));
    edits.put("l2_sensitivity", new DistributedGaussianParameters(d.shareVariance(), d.minSurvivors(),
        d.maxContributors(), d.dimension(), d.scale(), d.learningRate(), d.l2Sensitivity() / 2, d.tau(), d.bits(),
        d.modulusBits()));
    edits.put("tau", new DistributedGaussianParameters(d.shareVariance(), d.minSurvivors(), d.maxContributors(),
        d.dimension(), d.scale(), d.learningRate(), d.l2Sensitivity(), d.tau() + 1e-3, d.bits(), d.modulusBits()));
    edits.put("noise_multiplier ", new DistributedGaussianParameters(d.shareVariance(), d.minSurvivors() + 2,
        d.maxContributors(), d.dimension(), d.scale(), d.learningRate(), d.l2Sensitivity(), d.tau(), d.bits(),
        d.modulusBits()));
    for (Map.Entry<String, DistributedGaussianParameters> edit : edits.entrySet()) {
      Spend edited = new Spend(honest.round(), honest.holder(), honest.mechanism(), honest.noiseMultiplier(),
          honest.sampleRate(), honest.steps(), honest.epsilon(), honest.delta(), honest.cap(), honest.clipNorm(),
          honest.counter(), edit.getValue());
      LedgerVerifier.Report r = LedgerVerifier.verify(chain(edited), coordinator.publicKey(), Map.of());
      assertFalse(r.intact(), edit.getKey());
      assertTrue(all(r).contains(edit.getKey().strip() + " "), edit.getKey() + ": " + all(r));
    }
  }

  @Test
  void verify_distributedRoundWithoutParameters_isAFinding() {
    PrivacyBudget a = new PrivacyBudget("a", 8, 1e-5);
    Spend bare = a.spend(1, LedgerVerifier.DISTRIBUTED_MECHANISM, DDP.effectiveNoiseMultiplier(), 1.0, 1, 1.0);
    LedgerVerifier.Report r = LedgerVerifier.verify(chain(bare), coordinator.publicKey(), Map.of());
    assertFalse(r.intact());
    assertTrue(all(r).contains("records no distributed parameters"), all(r));
  }

  @Test
  void signedBytes_distributedSpend_coverEveryParameter() {
    Spend s = new PrivacyBudget("a", 8, 1e-5).spendDistributed(1, LedgerVerifier.DISTRIBUTED_MECHANISM, DDP, 1.0);
    String text = new String(s.signedBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(text.startsWith("hedgerow-spend-v3\n"), text);
    for (String key : List.of("share_variance", "min_survivors", "max_contributors", "dimension", "scale",
        "learning_rate", "l2_sensitivity", "tau", "bits", "modulus_bits")) {
      assertTrue(text.contains("\ndistributed." + key + "="), key + " not signed: " + text);
    }
    Spend plain = new PrivacyBudget("a", 8, 1e-5).spend(1, "dp-sgd-user", 1.1, 0.05, 20, 1.0);
    assertTrue(new String(plain.signedBytes(), java.nio.charset.StandardCharsets.UTF_8).startsWith("hedgerow-spend-v2\n"),
        "other spends keep version 2's bytes");
  }

  @Test
  void verify_distributedDpRoundClaimingSampling_isAFinding() {
    PrivacyBudget a = new PrivacyBudget("a", 8, 1e-5);
    Spend sampled = a.spend(1, LedgerVerifier.DISTRIBUTED_MECHANISM, 2.0, 0.5, 1, 1.0);
    LedgerVerifier.Report r = LedgerVerifier.verify(chain(sampled), coordinator.publicKey(), Map.of());
    assertFalse(r.intact());
    assertTrue(all(r).contains("claims no sampling: sample rate and steps must be 1"), all(r));
  }
}
