package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.hedgerow.edge.client.ClientCredentials;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hedgerow simulate --coordinator}: option errors, and the whole operator flow through the
 * command line — {@code coordinator init}, {@code coordinator start --dir} (HTTPS, waiting for every
 * enrolled silo), then {@code simulate} enrolling and running the scenario's silos against it.
 */
class SimulateRemoteCliTest {
  @TempDir Path tmp;

  @Test
  void simulate_httpsCoordinatorWithoutTrust_exit2NamingTrust() {
    CliRun r = CliRun.of("simulate", "--coordinator", "https://127.0.0.1:1", "--operator-token-file",
        tmp.resolve("t").toString(), "--out", tmp.toString());
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--trust"), r.err());
  }

  @Test
  void simulate_httpsCoordinatorWithoutOperatorToken_exit2NamingIt() {
    CliRun r = CliRun.of("simulate", "--coordinator", "https://127.0.0.1:1", "--trust", tmp.resolve("ca.pem").toString(),
        "--out", tmp.toString());
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--operator-token-file"), r.err());
  }

  @Test
  void simulate_trustWithoutCoordinator_exit2() {
    CliRun r = CliRun.of("simulate", "--scenario", "s.json", "--trust", "ca.pem", "--out", tmp.toString());
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--trust only applies with --coordinator"), r.err());
  }

  @Test
  void simulate_noScenarioClientsPerRoundWithRegions_exit2NamingThePartition() {
    // Without --scenario the bundled one is used (partition region), which has no devices to sample.
    CliRun r = CliRun.of("simulate", "--out", tmp.toString(), "--clients-per-round", "5");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("clients_per_round") && r.err().contains("customer"), r.err());
  }

  @Test
  void simulate_ftpCoordinator_exit2NamingTheUrl() {
    CliRun r = CliRun.of("simulate", "--coordinator", "ftp://127.0.0.1/", "--out", tmp.toString());
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("ftp://127.0.0.1/"), r.err());
  }

  @Tag("slow")
  @Test
  void simulate_againstStartedCoordinator_enrolsSilosRunsEveryRoundAndWritesReports() throws Exception {
    Path scenario = smallScenario();
    Path state = tmp.resolve("state");
    CliRun init = CliRun.of("coordinator", "init", "--dir", state.toString());
    assertEquals(0, init.exitCode(), init.err());
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CompletableFuture<CliRun> coordinator = CompletableFuture.supplyAsync(() -> CliRun.of("coordinator", "start", "--exit-after-final",
        "--dir", state.toString(), "--port", Integer.toString(port), "--scenario", scenario.toString()));

    Path out = tmp.resolve("out");
    // simulate's first calls retry until the coordinator listens.
    CliRun sim = CliRun.of("simulate", "--coordinator", "https://127.0.0.1:" + port, "--trust",
        state.resolve("ca.pem").toString(), "--operator-token-file", state.resolve("operator.token").toString(),
        "--scenario", scenario.toString(), "--out", out.toString());
    assertEquals(0, sim.exitCode(), sim.err());
    CliRun c = coordinator.get(60, TimeUnit.SECONDS);
    assertEquals(0, c.exitCode(), c.err());

    for (String silo : List.of("france", "germany", "iberia")) {
      assertEquals(silo, ClientCredentials.load(out.resolve("credentials").resolve(silo)).clientId());
    }
    JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals("https://127.0.0.1:" + port, s.get("coordinator").asText());
    assertEquals(Set.of("popularity", "repeat", "federated"), fieldNames(s.get("methods")));
    double hr = s.at("/methods/federated/hr@10").asDouble();
    assertTrue(hr > 0 && hr <= 1, "hr@10 " + hr);
    List<String> rounds = Files.readAllLines(out.resolve("rounds.csv"));
    assertEquals(3, rounds.size(), rounds.toString());
    for (String row : rounds.subList(1, 3)) {
      assertEquals("3", row.split(",")[3], row); // all three silos in every round
    }
    assertTrue(Files.size(out.resolve("hr10_per_round.png")) > 1000);
  }

  private static Set<String> fieldNames(JsonNode o) {
    Set<String> names = new java.util.HashSet<>();
    o.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The customers of Germany, France, Spain and Portugal (three regional silos), two short rounds, a small model. */
  private Path smallScenario() throws Exception {
    Path csv = tmp.resolve("small.csv");
    List<String> kept = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
        Files.newInputStream(Path.of("../data/online-retail/online_retail.csv.gz"))), StandardCharsets.UTF_8))) {
      kept.add(r.readLine());
      for (String line; (line = r.readLine()) != null; ) {
        if (line.endsWith(",Germany") || line.endsWith(",France") || line.endsWith(",Spain")
            || line.endsWith(",Portugal")) {
          kept.add(line);
        }
      }
    }
    Files.write(csv, kept, StandardCharsets.UTF_8);
    Path scenario = tmp.resolve("small.json");
    Path catalogue = Path.of("../data/online-retail/catalogue.csv").toAbsolutePath().normalize();
    Files.writeString(scenario, "{\"name\": \"small\", \"data\": \"" + csv + "\", \"catalogue\": \"" + catalogue
        + "\", \"rounds\": 2, "
        + "\"targets_per_customer\": 2, \"examples_per_kind\": 8, \"seed\": 7, \"hidden\": [16, 8]}");
    return scenario;
  }
}
