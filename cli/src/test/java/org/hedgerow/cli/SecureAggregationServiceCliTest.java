package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.edge.client.CoordinatorClient;
import org.hedgerow.simulations.RemoteCoordinator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's process tests: {@code hedgerow coordinator start --dir D --secure-aggregation secagg+} in
 * its own JVM, five enrolled silos in theirs, over mutual TLS. Each silo ({@link SecAggTestSilo})
 * contributes a known constant delta with a known weight, so the round's model change must be the
 * weighted mean of exactly the silos whose inputs the round counted (up to quantisation error).
 */
@Tag("slow")
class SecureAggregationServiceCliTest {
  private static final int SILOS = 5;
  /** Far above the quantisation error of 5 inputs (~1e-7 per coordinate), far below the gaps between means. */
  private static final double TOLERANCE = 1e-4;

  @TempDir Path tmp;
  private ChildJvms jvms;
  private Path state;
  private int port;
  private URI url;

  @BeforeEach
  void initState() throws Exception {
    jvms = new ChildJvms(tmp);
    state = tmp.resolve("state");
    CliRun init = CliRun.of("coordinator", "init", "--dir", state.toString());
    assertEquals(0, init.exitCode(), init.err());
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // fixed, so that silos reach a restarted coordinator at the same address
    }
    url = URI.create("https://127.0.0.1:" + port);
  }

  @AfterEach
  void stopChildren() throws InterruptedException {
    jvms.destroyAll();
  }

  private Process java(String name, Class<?> main, String... args) throws IOException {
    return jvms.start(name, main, args);
  }

  private Process coordinator(String name) throws IOException {
    Path scenario = tmp.resolve("model.json");
    Files.writeString(scenario, "{\"name\": \"secagg-service\", \"seed\": 7, \"hidden\": [4]}");
    return java(name, Hedgerow.class, "coordinator", "start", "--dir", state.toString(), "--port",
        Integer.toString(port), "--clients", Integer.toString(SILOS), "--rounds", "2", "--scenario", scenario.toString(),
        "--secure-aggregation", "secagg+", "--stage-deadline-seconds", "4", "--deadline-seconds", "20");
  }

  private String text(String name) throws IOException {
    return jvms.text(name);
  }

  private void await(String what, long seconds, java.util.concurrent.Callable<Boolean> condition) throws Exception {
    jvms.await(what, seconds, condition);
  }

  /** Enrols silo-1..silo-5 through the running coordinator (operator token → one-time token → CSR). */
  private RemoteCoordinator enrolAll() throws Exception {
    RemoteCoordinator remote = RemoteCoordinator.of(url, state.resolve("ca.pem"), state.resolve("operator.token"));
    await("the coordinator to listen", 120, () -> text("coordinator.out").contains("coordinator on https://"));
    for (int i = 1; i <= SILOS; i++) {
      remote.ensureEnrolled("silo-" + i, tmp.resolve("creds-" + i));
    }
    return remote;
  }

  private static float value(int i) {
    return 0.01f * i;
  }

  private static long weight(int i) {
    return 10L * i * i;
  }

  /** The weighted mean of the constant deltas of silos {@code ids}. */
  private static double mean(List<Integer> ids) {
    double sum = 0;
    long total = 0;
    for (int i : ids) {
      sum += (double) value(i) * weight(i);
      total += weight(i);
    }
    return sum / total;
  }

  private Process silo(int i, String mode) throws IOException {
    return java("silo-" + i, SecAggTestSilo.class, url.toString(), tmp.resolve("creds-" + i).toString(), "silo-" + i,
        Float.toString(value(i)), Long.toString(weight(i)), mode);
  }

  /** Model version {@code v} once served (the operator's long poll holds until a later round opens). */
  private static float[] modelAfter(CoordinatorClient operator, int version, int count) {
    while (true) {
      CoordinatorClient.GlobalModel g = operator.model(count);
      if (g.version() >= version) {
        assertEquals(version, g.version(), "model version");
        return g.parameters();
      }
      operator.round(version); // held until round version + 1 opens (round `version` closed) or 20 s pass
    }
  }

  private static void assertMoved(float[] before, float[] after, double expected) {
    for (int j = 0; j < before.length; j++) {
      assertEquals(expected, after[j] - before[j], TOLERANCE, "coordinate " + j);
    }
  }

  @Test
  void secaggPlus_oneOfFiveSilosKilledAfterKeySharing_roundCompletesWithTheSurvivorsWeightedMean() throws Exception {
    coordinator("coordinator");
    RemoteCoordinator remote = enrolAll();
    CoordinatorClient operator = remote.operator();
    int count = operator.getJson(Wire.MODEL).path("parameter_count").asInt();
    float[] initial = operator.model(count).parameters();
    for (int i = 1; i < SILOS; i++) {
      silo(i, "normal");
    }
    Process victim = silo(SILOS, "stall");
    await("the victim's round-1 shares", 120, () -> text("silo-5.out").contains("posted share-keys round 1"));
    victim.destroyForcibly(); // SIGKILL after key sharing: its pairwise masks must be recovered from its shares
    assertTrue(victim.waitFor(10, TimeUnit.SECONDS));

    float[] round1 = modelAfter(operator, 1, count);
    assertMoved(initial, round1, mean(List.of(1, 2, 3, 4)));
    JsonNode status = operator.getJson(Wire.STATUS);
    assertEquals(4, status.at("/history/0/clients").asInt(), status.toString());
    assertEquals("secagg+", status.path("secure_aggregation").asText(), status.toString());
    assertTrue(text("coordinator.err").contains("masked-input deadline passed") || text("coordinator.err")
        .contains("MASKED_INPUT deadline passed"), "the victim dropped out at the masked-input stage's deadline");

    // Round 2: the dead silo drops out at advertise-keys (the round deadline); the four complete it.
    float[] round2 = modelAfter(operator, 2, count);
    assertMoved(round1, round2, mean(List.of(1, 2, 3, 4)));
    await("the coordinator to finish", 60, () -> text("coordinator.out").contains("federation finished: completed 2 rounds"));
  }

  @Test
  void secaggPlus_coordinatorKilledMidRound_restartReRunsTheRoundWithEverySiloNothingLost() throws Exception {
    Process first = coordinator("coordinator");
    RemoteCoordinator remote = enrolAll();
    CoordinatorClient operator = remote.operator();
    int count = operator.getJson(Wire.MODEL).path("parameter_count").asInt();
    float[] initial = operator.model(count).parameters();
    Path go = tmp.resolve("go");
    for (int i = 1; i <= SILOS; i++) {
      silo(i, "pause:" + go);
    }
    await("every silo's round-1 shares", 120, () -> {
      for (int i = 1; i <= SILOS; i++) {
        if (!text("silo-" + i + ".out").contains("posted share-keys round 1")) {
          return false;
        }
      }
      return true;
    });
    first.destroyForcibly(); // SIGKILL mid-round: the session (keys, shares) was only in memory
    assertTrue(first.waitFor(10, TimeUnit.SECONDS));
    coordinator("coordinator"); // same state directory, store and port
    await("the restarted coordinator to resume round 1", 120,
        () -> text("coordinator.err").contains("resuming from"));
    Files.writeString(go, "go");

    // The silos' next stage request names the dead session: 410, and they start round 1 again.
    float[] round1 = modelAfter(operator, 1, count);
    assertMoved(initial, round1, mean(List.of(1, 2, 3, 4, 5)));
    JsonNode status = operator.getJson(Wire.STATUS);
    assertEquals(SILOS, status.at("/history/0/clients").asInt(), status.toString());
    assertEquals(0, status.path("aborted_rounds").asInt(), status.toString());
    for (int i = 1; i <= SILOS; i++) {
      String out = text("silo-" + i + ".out");
      assertTrue(out.contains("round 1 CONTRIBUTED"), "silo-" + i + ": " + out);
      // Re-run, not resumed: the old session's keys died with the coordinator, the silo started over.
      assertTrue(text("silo-" + i + ".err").contains("is gone"), "silo-" + i + ": " + text("silo-" + i + ".err"));
    }
    float[] round2 = modelAfter(operator, 2, count);
    assertMoved(round1, round2, mean(List.of(1, 2, 3, 4, 5)));
  }
}
