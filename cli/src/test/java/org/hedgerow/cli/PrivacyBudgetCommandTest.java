package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hedgerow.aggregation.wire.SpendJson;
import org.hedgerow.edge.dp.DpConfig;
import org.hedgerow.edge.dp.SiloPrivacy;
import org.hedgerow.edge.dp.SiloRelease;
import org.hedgerow.edge.state.SiloState;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.SpendAccounting;
import org.hedgerow.privacy.crypto.Hex;
import org.hedgerow.privacy.noise.GaussianNoise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hedgerow privacy budget --state DIR}: a silo's signed log, verified and recomputed. */
class PrivacyBudgetCommandTest {
  @TempDir Path tmp;

  /** A silo state with its release and two rounds charged; returns its log. */
  private List<SignedSpend> silo(Path dir) {
    try (SiloState st = SiloState.open(dir)) {
      SiloPrivacy dp = st.resume("germany", new DpConfig(1, 1.0, 0.5, 5, 0.003, 4, 1e-5, 4, 10), true, 3, 5,
          () -> SiloRelease.compute(List.of(), 5, LocalDateTime.of(2011, 12, 10, 0, 0), 4, 10, new GaussianNoise()));
      dp.chargeRound(1);
      dp.chargeRound(2);
      return st.log().entries();
    }
  }

  @Test
  void budget_json_oneObjectWithEveryVerifiedSpend() throws Exception {
    Path dir = tmp.resolve("state");
    List<SignedSpend> log = silo(dir);
    CliRun r = CliRun.of("privacy", "budget", "--state", dir.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(1, r.out().lines().count(), r.out());
    JsonNode o = new ObjectMapper().readTree(r.out());
    Set<String> keys = new java.util.TreeSet<>();
    o.fieldNames().forEachRemaining(keys::add);
    assertEquals(Set.of("silo", "epsilon", "delta", "cap", "public_key", "spends"), keys);
    assertEquals("germany", o.get("silo").asText());
    assertEquals(4.0, o.get("cap").asDouble());
    assertEquals(1e-5, o.get("delta").asDouble());
    assertEquals(SpendAccounting.epsilon(log.stream().map(SignedSpend::spend).toList(), 1e-5),
        o.get("epsilon").asDouble());
    assertEquals(log.get(log.size() - 1).spend().epsilon(), o.get("epsilon").asDouble());
    assertEquals(Hex.encode(log.get(0).publicKey()), o.get("public_key").asText());
    assertEquals(4, o.get("spends").size());
    for (int i = 0; i < log.size(); i++) {
      assertEquals(log.get(i), SpendJson.fromJson(o.get("spends").get(i)), "spend " + i + " is SpendJson's form");
    }
  }

  @Test
  void budget_table_everySpendAndTheTotal() {
    Path dir = tmp.resolve("state");
    List<SignedSpend> log = silo(dir);
    CliRun r = CliRun.of("privacy", "budget", "--state", dir.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("silo-stats-gaussian") && r.out().contains("dp-sgd-user"), r.out());
    assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "total: epsilon %.6f of cap 4.0 at delta 1.0E-5",
        log.get(3).spend().epsilon())), r.out());
  }

  @Test
  void budget_editedEpsilon_exit1NamingTheLine() throws Exception {
    Path dir = tmp.resolve("state");
    silo(dir);
    Path f = dir.resolve(SiloState.SPENDS_FILE);
    List<String> lines = new ArrayList<>(Files.readAllLines(f));
    lines.set(2, lines.get(2).replaceFirst("\"epsilon\":[0-9.Ee-]+", "\"epsilon\":0.25"));
    Files.write(f, lines);
    CliRun r = CliRun.of("privacy", "budget", "--state", dir.toString(), "--json");
    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.err().contains("spends.jsonl line 3") && r.err().contains("signature"), r.err());
    assertEquals("", r.out());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  @Test
  void budget_lineSwappedForAnotherKeysLine_exit1NamingTheLine() throws Exception {
    Path mine = tmp.resolve("mine");
    Path other = tmp.resolve("other");
    silo(mine);
    List<SignedSpend> theirs = silo(other);
    Path f = mine.resolve(SiloState.SPENDS_FILE);
    List<String> lines = new ArrayList<>(Files.readAllLines(f));
    lines.set(3, SpendJson.line(theirs.get(3))); // a validly signed line, but by another silo's key
    Files.write(f, lines);
    CliRun r = CliRun.of("privacy", "budget", "--state", mine.toString());
    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.err().contains("line 4") && r.err().contains("another key"), r.err());
  }

  @Test
  void budget_epsilonEditedAndResignedWithTheSilosOwnKey_exit1NamingTheLine() throws Exception {
    Path dir = tmp.resolve("state");
    List<SignedSpend> log = silo(dir);
    org.hedgerow.privacy.budget.Spend s = log.get(3).spend();
    org.hedgerow.privacy.budget.Spend lower = new org.hedgerow.privacy.budget.Spend(s.round(), s.holder(),
        s.mechanism(), s.noiseMultiplier(), s.sampleRate(), s.steps(), s.epsilon() / 2, s.delta(), s.cap(),
        s.clipNorm(), s.counter());
    try (SiloState st = SiloState.open(dir)) { // the operator has the key: the signature alone cannot tell
      Path f = dir.resolve(SiloState.SPENDS_FILE);
      List<String> lines = new ArrayList<>(Files.readAllLines(f));
      lines.set(3, SpendJson.line(SignedSpend.sign(lower, st.identity())));
      Files.write(f, lines);
    }
    CliRun r = CliRun.of("privacy", "budget", "--state", dir.toString());
    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.err().contains("line 4") && r.err().contains("the accountant gives"), r.err());
  }

  @Test
  void budget_noSuchDirectory_exit2() {
    CliRun r = CliRun.of("privacy", "budget", "--state", tmp.resolve("nope").toString());
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--state"), r.err());
  }

  @Test
  void budget_noState_exit2() {
    CliRun r = CliRun.of("privacy", "budget");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--state"), r.err());
  }
}
