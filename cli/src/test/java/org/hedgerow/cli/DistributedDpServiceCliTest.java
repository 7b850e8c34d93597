package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hedgerow.aggregation.wire.LedgerJson;
import org.hedgerow.privacy.accounting.DistributedGaussianParameters;
import org.hedgerow.privacy.accounting.DistributedGaussianSum;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.budget.SpendAccounting;
import org.hedgerow.privacy.ledger.LedgerEntry;
import org.hedgerow.privacy.ledger.LedgerVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distributed DP with real processes: {@code coordinator start --secure-aggregation secagg+
 * --distributed-dp 8} and three enrolled {@code hedgerow client} silos over mutual TLS, two rounds.
 * The ledger the coordinator keeps must verify offline, every distributed round must record the
 * session's parameters, and the ε each silo prints must be the accountant's on those parameters alone.
 */
@Tag("slow")
class DistributedDpServiceCliTest {
  private static final double TARGET = 8;
  private static final double DELTA = 1e-5;
  private static final List<String> SILOS = List.of("iberia", "nordics", "alpine");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void stopChildren() throws InterruptedException {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** {@code hedgerow ARGS} in its own JVM, output to {@code name}.out/.err. */
  private Process hedgerow(String name, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g",
        "-Dhedgerow.home=" + Path.of("..").toAbsolutePath().normalize(),
        "-cp", System.getProperty("java.class.path"), Hedgerow.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve(name + ".out").toFile())
        .redirectError(tmp.resolve(name + ".err").toFile());
    pb.environment().put("OMP_NUM_THREADS", "1");
    Process p = pb.start();
    children.add(p);
    return p;
  }

  private String text(String file) throws IOException {
    Path p = tmp.resolve(file);
    return Files.exists(p) ? Files.readString(p) : "";
  }

  private void finish(Process p, String name, int seconds) throws Exception {
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      fail(name + " did not finish within " + seconds + " s; stderr: " + text(name + ".err")
          + "\ncoordinator: " + text("coordinator.err"));
    }
    assertEquals(0, p.exitValue(), name + " failed; stderr: " + text(name + ".err"));
  }

  @Test
  void distributedDp_threeSilosTwoRoundsOverMutualTls_ledgerVerifiesAndPrintedEpsilonIsTheAccountants()
      throws Exception {
    Path silos = tmp.resolve("silos");
    finish(hedgerow("partition", "partition", "--out", silos.toString()), "partition", 300);
    Path scenario = tmp.resolve("small.json");
    Files.writeString(scenario, "{\"name\": \"ddp\", \"rounds\": 2, \"seed\": 7, \"hidden\": [16, 8]}");
    Path coord = tmp.resolve("coordinator");
    CliRun init = CliRun.of("coordinator", "init", "--dir", coord.toString());
    assertEquals(0, init.exitCode(), init.err());
    Process coordinator = hedgerow("coordinator", "coordinator", "start", "--exit-after-final", "--dir",
        coord.toString(), "--port", "0", "--clients", Integer.toString(SILOS.size()), "--rounds", "2", "--scenario",
        scenario.toString(), "--secure-aggregation", "secagg+", "--distributed-dp", Double.toString(TARGET),
        "--deadline-seconds", "600", "--stage-deadline-seconds", "120");
    String url = null;
    for (int i = 0; i < 1200 && url == null; i++) {
      Matcher m = Pattern.compile("coordinator on (https://127\\.0\\.0\\.1:\\d+)").matcher(text("coordinator.out"));
      if (m.find()) {
        url = m.group(1);
      } else if (!coordinator.isAlive()) {
        fail("coordinator exited: " + text("coordinator.err"));
      } else {
        Thread.sleep(100);
      }
    }
    assertNotNull(url, "coordinator did not listen within 120 s");
    String trust = coord.resolve("ca.pem").toString();
    List<Process> clients = new ArrayList<>();
    for (String silo : SILOS) {
      CliRun token = CliRun.of("coordinator", "token", "--coordinator", url, "--trust", trust,
          "--operator-token-file", coord.resolve("operator.token").toString(), "--client-id", silo);
      assertEquals(0, token.exitCode(), token.err());
      Path creds = tmp.resolve("enrolled").resolve(silo); // also the silo's state directory
      CliRun enrol = CliRun.of("enrol", "--coordinator", url, "--trust", trust, "--token", token.out().strip(),
          "--dir", creds.toString());
      assertEquals(0, enrol.exitCode(), enrol.err());
      clients.add(hedgerow(silo, "client", "--coordinator", url, "--credentials", creds.toString(), "--silo", silo,
          "--data", silos.resolve(silo + ".csv.gz").toString(), "--epsilon-cap", Double.toString(TARGET),
          "--catalogue", silos.resolve("catalogue.csv").toString(), "--training-end", "2011-12-10", "--json"));
    }
    for (int i = 0; i < SILOS.size(); i++) {
      finish(clients.get(i), SILOS.get(i), 900);
    }
    finish(coordinator, "coordinator", 120);
    assertTrue(text("coordinator.out").contains("federation finished: completed 2 rounds"), text("coordinator.out"));

    Path ledgerFile = tmp.resolve("ledger.jsonl");
    CliRun export = CliRun.of("audit", "export", "--dir", coord.toString(), "--out", ledgerFile.toString());
    assertEquals(0, export.exitCode(), export.err());
    CliRun verify = CliRun.of("audit", "verify", "--ledger", ledgerFile.toString(), "--coordinator-key",
        coord.resolve("ledger-key.pub").toString(), "--enrolled", tmp.resolve("enrolled").toString());
    assertEquals(0, verify.exitCode(), verify.out() + verify.err());
    assertTrue(verify.out().contains("intact:"), verify.out());

    List<LedgerEntry> ledger = LedgerJson.fromJsonLines(Files.readString(ledgerFile));
    for (String silo : SILOS) {
      List<String> lines = text(silo + ".out").lines().toList();
      JsonNode printed = JSON.readTree(lines.get(lines.size() - 1));
      assertEquals(2, printed.get("rounds_trained").asInt(), printed.toString());
      // The accountant on the recorded parameters alone: each distributed round's z recomputed from σ², t, n, d, Δ.
      List<Spend> recomputed = new ArrayList<>();
      int rounds = 0;
      for (LedgerEntry e : ledger) {
        Spend s = e.spend();
        if (!s.holder().equals(silo)) {
          continue;
        }
        if (s.mechanism().equals(LedgerVerifier.DISTRIBUTED_MECHANISM)) {
          DistributedGaussianParameters p = s.distributed();
          assertNotNull(p, "round " + s.round() + " of " + silo + " records its parameters");
          assertEquals(SILOS.size(), p.maxContributors(), "n of the session");
          assertTrue(p.minSurvivors() >= 2 && p.minSurvivors() <= SILOS.size(), "t of the session: " + p);
          double z = DistributedGaussianSum.effectiveNoiseMultiplier(p.l2Sensitivity(), p.shareVariance(),
              p.minSurvivors(), p.maxContributors(), p.dimension());
          recomputed.add(new Spend(s.round(), silo, s.mechanism(), z, 1.0, 1, 0, DELTA, TARGET, s.clipNorm(),
              s.counter()));
          rounds++;
        } else {
          recomputed.add(s);
        }
      }
      assertEquals(2, rounds, silo + " has a distributed link per round");
      double accountant = SpendAccounting.epsilon(recomputed, DELTA);
      DistributedGaussianParameters last = ledger.stream().map(LedgerEntry::spend)
          .filter(x -> x.holder().equals(silo) && x.distributed() != null).reduce((a, b) -> b).orElseThrow().distributed();
      System.out.printf(java.util.Locale.ROOT, "%s: printed epsilon %s, accountant %s; last round t %d of n %d, "
          + "share variance %.6g, d %d, l2 sensitivity %.6g, tau %s, bits %d%n", silo, printed.get("epsilon"),
          accountant, last.minSurvivors(), last.maxContributors(), last.shareVariance(), last.dimension(),
          last.l2Sensitivity(), last.tau(), last.bits());
      assertEquals(accountant, printed.get("epsilon").asDouble(), silo + " prints the accountant's epsilon");
      assertTrue(accountant <= TARGET, silo + ": " + accountant);
    }
  }
}
