package org.hedgerow.aggregation.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.List;
import org.hedgerow.privacy.accounting.DistributedGaussianParameters;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.hedgerow.privacy.ledger.LedgerEntry;
import org.hedgerow.privacy.ledger.LedgerVerifier;
import org.hedgerow.privacy.ledger.PrivacyLedger;
import org.junit.jupiter.api.Test;

class LedgerJsonTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Ed25519KeyPair coordinator = Ed25519.generateKeyPair(RANDOM);
  private final Ed25519KeyPair silo = Ed25519.generateKeyPair(RANDOM);

  @Test
  void fromJsonLines_writtenLedger_sameLinksHashesAndValidSignatures() {
    PrivacyLedger l = new PrivacyLedger(coordinator.privateKey(), List.of());
    PrivacyBudget b = new PrivacyBudget("silo-1", 8, 1e-5);
    l.append(SignedSpend.sign(b.chargeGaussianRelease("silo-stats-gaussian", 4.0), silo));
    for (int r = 1; r <= 3; r++) {
      l.append(SignedSpend.sign(b.spend(r, "dp-sgd-user", 4.0 / 3, 0.0123, 7, 0.7), silo));
    }
    PrivacyBudget c = new PrivacyBudget("coordinator", 8, 1e-5);
    l.append(c.spend(1, "central-gaussian", 3.1, 1.0, 1, 1.0));
    List<LedgerEntry> back = LedgerJson.fromJsonLines(LedgerJson.toJsonLines(l.entries()));
    assertEquals(5, back.size());
    for (int i = 0; i < 5; i++) {
      assertEquals(l.entries().get(i).hash(), back.get(i).hash());
      assertEquals(l.entries().get(i).spend(), back.get(i).spend());
      assertArrayEquals(l.entries().get(i).publicKey(), back.get(i).publicKey());
    }
    assertEquals(0, back.get(4).publicKey().length);
    assertTrue(LedgerVerifier.verify(back, coordinator.publicKey(), java.util.Map.of()).intact());
  }

  @Test
  void fromJsonLines_distributedRound_parametersBackAndSignatureValid() {
    PrivacyLedger l = new PrivacyLedger(coordinator.privateKey(), List.of());
    DistributedGaussianParameters p = DistributedGaussianParameters.of(2.5e7, 3, 4, 13_057, 1.1e4, 1.0, 1.0, 16, 32);
    l.append(SignedSpend.sign(new PrivacyBudget("silo-1", 8, 1e-5).spendDistributed(1,
        LedgerVerifier.DISTRIBUTED_MECHANISM, p, 1.0), silo));
    String jsonl = LedgerJson.toJsonLines(l.entries());
    assertTrue(jsonl.contains("\"distributed\":{\"share_variance\":2.5E7,\"min_survivors\":3,\"max_contributors\":4,"
        + "\"dimension\":13057,"), jsonl);
    List<LedgerEntry> back = LedgerJson.fromJsonLines(jsonl);
    assertEquals(p, back.get(0).spend().distributed());
    assertEquals(l.entries().get(0).hash(), back.get(0).hash());
    assertTrue(LedgerVerifier.verify(back, coordinator.publicKey(), java.util.Map.of()).intact());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LedgerJson.fromJsonLines(jsonl.replace("\"min_survivors\":3", "\"min_survivors\":\"3\"")));
    assertTrue(e.getMessage().contains("distributed: field 'min_survivors' must be a whole number"), e.getMessage());
  }

  @Test
  void fromJsonLines_missingField_errorNamesLineAndField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LedgerJson.fromJsonLines("\n{\"sequence\":0}\n"));
    assertTrue(e.getMessage().contains("ledger line 2"), e.getMessage());
    assertTrue(e.getMessage().contains("'round'"), e.getMessage());
  }

  @Test
  void spendJson_lineRoundTrip_signatureStillValid() {
    PrivacyBudget b = new PrivacyBudget("uk-1", 8, 1e-5);
    b.chargeGaussianRelease("silo-stats-gaussian", 4.0);
    // Awkward doubles: thirds and tiny rates must come back bit for bit.
    SignedSpend s = SignedSpend.sign(b.spend(1, "dp-sgd-user", 4.0 / 3, 0.01 + 0.02, 7, Math.PI), silo);
    SignedSpend back = SpendJson.parseLine(SpendJson.line(s));
    assertEquals(s, back);
    assertTrue(back.valid());
    List<SignedSpend> batch = SpendJson.parseBatch(SpendJson.batch(List.of(s, s)));
    assertEquals(List.of(s, s), batch);
  }

  @Test
  void spendJson_parseBatch_badElement_errorNamesIndexAndField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SpendJson.parseBatch("{\"spends\":[{\"counter\":0}]}"));
    assertTrue(e.getMessage().contains("spends[0]"), e.getMessage());
  }
}
