package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hedgerow.edge.state.SiloState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's done-when, with the real CLI in real processes: a DP silo killed with {@code kill -9}
 * after it charged a round and restarted with the same state directory reports an ε that composes
 * with what it spent before (never lower) and never passes its cap.
 *
 * <p>The coordinator runs as a service ({@code coordinator init/start --dir}, one enrolled silo):
 * an enrolled silo rejoins by its certificate after a restart, where open registration would refuse
 * the name as taken. The checks read only the silo's own output (the {@code --json} last line) and its
 * own signed log ({@code privacy budget --json}); nothing depends on the coordinator knowing spends.
 */
@Tag("slow")
class SiloCrashCliTest {
  private static final double CAP = 4;
  private static final String SILO = "iberia";
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

  /** {@code hedgerow ARGS} in its own JVM (the launcher's main), output to {@code name}.out/.err. */
  private Process hedgerow(String name, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g",
        "-Dhedgerow.home=" + Path.of("..").toAbsolutePath().normalize(), // bundled data and catalogue
        "-cp", System.getProperty("java.class.path"), Hedgerow.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve(name + ".out").toFile())
        .redirectError(tmp.resolve(name + ".err").toFile());
    pb.environment().put("OMP_NUM_THREADS", "1");
    Process p = pb.start();
    children.add(p);
    return p;
  }

  private String out(String name) throws IOException {
    return Files.readString(tmp.resolve(name + ".out"));
  }

  private void finish(Process p, String name, int seconds) throws Exception {
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      fail(name + " did not finish within " + seconds + " s; stderr: " + Files.readString(tmp.resolve(name + ".err")));
    }
    assertEquals(0, p.exitValue(), name + " failed; stderr: " + Files.readString(tmp.resolve(name + ".err")));
  }

  private static JsonNode budget(Path state) throws IOException {
    CliRun r = CliRun.of("privacy", "budget", "--state", state.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    return JSON.readTree(r.out());
  }

  /** Whether the log holds a complete line of a training round (round ≥ 1). */
  private static boolean chargedARound(Path log) throws IOException {
    String text;
    try {
      text = Files.readString(log);
    } catch (NoSuchFileException e) {
      return false;
    }
    int end = text.lastIndexOf('\n');
    return end >= 0 && Pattern.compile("\"round\":[1-9]").matcher(text.substring(0, end)).find();
  }

  @Test
  void dpSilo_killedAfterChargingARoundAndRestarted_epsilonContinuesNeverLowerAndUnderCap() throws Exception {
    Path silos = tmp.resolve("silos");
    finish(hedgerow("partition", "partition", "--out", silos.toString()), "partition", 180);
    Path scenario = tmp.resolve("small.json");
    Files.writeString(scenario, "{\"name\": \"small\", \"rounds\": 4, \"seed\": 7, \"hidden\": [16, 8]}");

    Path coord = tmp.resolve("coordinator");
    CliRun init = CliRun.of("coordinator", "init", "--dir", coord.toString());
    assertEquals(0, init.exitCode(), init.err());
    Process coordinator = hedgerow("coordinator", "coordinator", "start", "--exit-after-final", "--dir", coord.toString(), "--port", "0",
        "--clients", "1", "--rounds", "4", "--scenario", scenario.toString());
    String url = null;
    for (int i = 0; i < 1200 && url == null; i++) { // the bound port, as the coordinator prints it
      Matcher m = Pattern.compile("coordinator on (https://127\\.0\\.0\\.1:\\d+)").matcher(out("coordinator"));
      if (m.find()) {
        url = m.group(1);
      } else if (!coordinator.isAlive()) {
        fail("coordinator exited: " + Files.readString(tmp.resolve("coordinator.err")));
      } else {
        Thread.sleep(100);
      }
    }
    assertTrue(url != null, "coordinator did not listen within 120 s");
    String trust = coord.resolve("ca.pem").toString();
    CliRun token = CliRun.of("coordinator", "token", "--coordinator", url, "--trust", trust, "--operator-token-file",
        coord.resolve("operator.token").toString(), "--client-id", SILO);
    assertEquals(0, token.exitCode(), token.err());
    Path creds = tmp.resolve("creds"); // also the silo's state directory (--state defaults to --credentials)
    CliRun enrol = CliRun.of("enrol", "--coordinator", url, "--trust", trust, "--token", token.out().strip(), "--dir",
        creds.toString());
    assertEquals(0, enrol.exitCode(), enrol.err());

    String[] client = {"client", "--coordinator", url, "--credentials", creds.toString(), "--silo", SILO, "--data",
        silos.resolve(SILO + ".csv.gz").toString(), "--epsilon-cap", Double.toString(CAP), "--catalogue",
        silos.resolve("catalogue.csv").toString(), "--training-end", "2011-12-10", "--json"};

    // Run 1: kill -9 as soon as a round's charge is on disk (the silo is then training that round).
    Process first = hedgerow("silo-1", client);
    Path log = creds.resolve(SiloState.SPENDS_FILE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!chargedARound(log)) {
      if (!first.isAlive()) {
        fail("the silo exited before charging a round: " + Files.readString(tmp.resolve("silo-1.err")));
      }
      if (System.nanoTime() > deadline) {
        fail("the silo charged no round within 180 s");
      }
      Thread.sleep(10);
    }
    assertTrue(first.isAlive(), "the kill must land while the silo runs");
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
    assertTrue(first.waitFor(10, TimeUnit.SECONDS));
    assertTrue(!out("silo-1").contains("\"rounds_trained\""), "run 1 was killed, not finished");
    JsonNode before = budget(creds);
    double epsBefore = before.get("epsilon").asDouble();
    byte[] releaseBefore = Files.readAllBytes(creds.resolve(SiloState.RELEASE_FILE));
    assertTrue(before.get("spends").size() >= 3, before.toString()); // two release charges and a round

    // Run 2: the same command and state directory.
    Process second = hedgerow("silo-2", client);
    finish(second, "silo-2", 300);
    List<String> lines = out("silo-2").lines().toList();
    JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
    assertEquals(SILO, last.get("silo").asText());
    assertTrue(last.get("declined").isNull(), last.toString());
    finish(coordinator, "coordinator", 120);
    assertTrue(out("coordinator").contains("federation finished: completed 4 rounds"), out("coordinator"));

    JsonNode after = budget(creds);
    JsonNode spends = after.get("spends");
    for (int i = 0; i < before.get("spends").size(); i++) {
      assertEquals(before.get("spends").get(i), spends.get(i), "the log before the kill is kept as it was");
    }
    double prev = 0;
    int releases = 0;
    int maxRound = 0;
    for (JsonNode s : spends) {
      double e = s.get("epsilon").asDouble();
      assertTrue(e >= prev, "epsilon never decreases: " + spends);
      assertTrue(e <= CAP, "never over the cap: " + spends);
      prev = e;
      releases += s.get("round").asInt() == 0 ? 1 : 0;
      maxRound = Math.max(maxRound, s.get("round").asInt());
    }
    double epsAfter = after.get("epsilon").asDouble();
    assertEquals(prev, epsAfter);
    assertEquals(epsAfter, last.get("epsilon").asDouble(), "the silo reports what its log recomputes to");
    assertTrue(epsAfter >= epsBefore, "after " + epsAfter + " < before " + epsBefore);
    assertTrue(epsAfter <= CAP);
    assertEquals(2, releases, "the item statistics and count are charged once, not again at restart");
    assertArrayEquals(releaseBefore, Files.readAllBytes(creds.resolve(SiloState.RELEASE_FILE)),
        "the restarted silo trains on the saved release");
    assertEquals(4, maxRound, "the restarted silo finished the federation");
    assertTrue(out("silo-2").contains("resumed from " + creds), out("silo-2"));
    // The catalogue partition wrote carries descriptions, so the DP silo also reports the explore policy,
    // ordered from them and its DP release only.
    assertTrue(out("silo-2").contains("with one of the top 10 kept for a new product (ordered by catalogue "
        + "descriptions x the DP release)"), out("silo-2"));
  }
}
