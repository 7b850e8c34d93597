package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.edge.client.ClientCredentials;
import org.hedgerow.edge.client.CoordinatorClient;
import org.hedgerow.simulations.RemoteCoordinator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline-CA runbook end to end, with real processes: {@code hedgerow ca init} on "the CA's machine",
 * {@code coordinator init --ca-cert} (no CA key ever in its state), the server certificate signed offline,
 * three silos enrolled by request → {@code ca sign} → {@code enrol --install-certificate}, the coordinator
 * in its own JVM refusing {@code /v1/enrol} and registering each silo on its first mutual-TLS call, and one
 * SecAgg+ round whose model change is the silos' weighted mean.
 */
@Tag("slow")
class OfflineCaCliTest {
  private static final int SILOS = 3;
  /** Far above the quantisation error of 3 inputs (~1e-7 per coordinate), far below the gaps between means. */
  private static final double TOLERANCE = 1e-4;

  @TempDir Path tmp;
  private ChildJvms jvms;

  @AfterEach
  void stopChildren() throws InterruptedException {
    if (jvms != null) {
      jvms.destroyAll();
    }
  }

  private static CliRun ok(String... args) {
    CliRun r = CliRun.of(args);
    assertEquals(0, r.exitCode(), String.join(" ", args) + ": " + r.out() + r.err());
    return r;
  }

  @Test
  void offlineCa_coordinatorWithoutCaKey_threeSilosEnrolOfflineAndCompleteASecAggPlusRound() throws Exception {
    jvms = new ChildJvms(tmp);
    Path ca = tmp.resolve("ca");
    Path state = tmp.resolve("state");
    ok("ca", "init", "--dir", ca.toString());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.resolve("ca-key.pem"))));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ca)));
    ok("coordinator", "init", "--dir", state.toString(), "--ca-cert", ca.resolve("ca.pem").toString());
    ok("ca", "sign", "--dir", ca.toString(), "--server", "--csr", state.resolve("server.csr").toString(),
        "--out", state.resolve("server.pem").toString());

    Map<Integer, String> fingerprints = new HashMap<>();
    for (int i = 1; i <= SILOS; i++) {
      Path creds = tmp.resolve("creds-" + i);
      Path csr = tmp.resolve("silo-" + i + ".csr");
      Path cert = tmp.resolve("silo-" + i + ".pem");
      ok("enrol", "--csr-out", csr.toString(), "--client-id", "silo-" + i, "--dir", creds.toString());
      if (i == 1) { // the CA operator names the silo it expects: a request from another is refused
        CliRun wrong = CliRun.of("ca", "sign", "--dir", ca.toString(), "--csr", csr.toString(), "--client-id", "silo-2",
            "--out", cert.toString());
        assertEquals(1, wrong.exitCode(), wrong.out() + wrong.err());
        assertTrue(wrong.err().contains("refused to sign") && wrong.err().contains("not 'CN=silo-2'"), wrong.err());
        assertFalse(Files.exists(cert));
      }
      CliRun signed = ok("ca", "sign", "--dir", ca.toString(), "--csr", csr.toString(), "--client-id", "silo-" + i,
          "--out", cert.toString());
      assertTrue(signed.out().contains("identity key: "), signed.out());
      ok("enrol", "--install-certificate", cert.toString(), "--trust", ca.resolve("ca.pem").toString(),
          "--dir", creds.toString());
      fingerprints.put(i, org.hedgerow.coordinator.auth.Fingerprints.sha256(
          ClientCredentials.load(creds).certificate()));
    }
    assertFalse(Files.exists(state.resolve("ca-key.pem")), "the coordinator never held the CA key");

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    URI url = URI.create("https://127.0.0.1:" + port);
    Path scenario = tmp.resolve("model.json");
    Files.writeString(scenario, "{\"name\": \"offline-ca\", \"seed\": 7, \"hidden\": [4]}");
    jvms.start("coordinator", Hedgerow.class, "coordinator", "start", "--dir", state.toString(), "--port",
        Integer.toString(port), "--clients", Integer.toString(SILOS), "--rounds", "1", "--scenario", scenario.toString(),
        "--secure-aggregation", "secagg+", "--stage-deadline-seconds", "20", "--deadline-seconds", "60");
    jvms.await("the coordinator to listen", 120, () -> jvms.text("coordinator.out").contains("coordinator on https://"));

    // Online enrolment is refused, before any body is looked at, saying why.
    HttpClient http = HttpClient.newBuilder().sslContext(ClientCredentials.trusting(ca.resolve("ca.pem"))).build();
    HttpResponse<String> enrol = http.send(HttpRequest.newBuilder(url.resolve(Wire.ENROL))
        .POST(HttpRequest.BodyPublishers.ofString("{\"token\": \"x\", \"csr\": \"y\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(403, enrol.statusCode(), enrol.body());
    assertTrue(enrol.body().contains("enrolment is offline"), enrol.body());

    CoordinatorClient operator = RemoteCoordinator.of(url, ca.resolve("ca.pem"), state.resolve("operator.token"))
        .operator();
    int count = operator.getJson(Wire.MODEL).path("parameter_count").asInt();
    float[] initial = operator.model(count).parameters();
    for (int i = 1; i <= SILOS; i++) {
      jvms.start("silo-" + i, SecAggTestSilo.class, url.toString(), tmp.resolve("creds-" + i).toString(), "silo-" + i,
          Float.toString(value(i)), Long.toString(weight(i)), "normal");
    }
    float[] round1 = modelAfter(operator, 1, count);
    double sum = 0;
    long total = 0;
    for (int i = 1; i <= SILOS; i++) {
      sum += (double) value(i) * weight(i);
      total += weight(i);
    }
    for (int j = 0; j < count; j++) {
      assertEquals(sum / total, round1[j] - initial[j], TOLERANCE, "coordinate " + j);
    }
    JsonNode status = operator.getJson(Wire.STATUS);
    assertEquals(SILOS, status.at("/history/0/clients").asInt(), status.toString());
    assertEquals("secagg+", status.path("secure_aggregation").asText(), status.toString());
    for (int i = 1; i <= SILOS; i++) {
      assertTrue(jvms.text("silo-" + i + ".out").contains("round 1 CONTRIBUTED"), jvms.text("silo-" + i + ".out"));
    }
    // Each silo was registered by the certificate the offline CA signed for it, on its first call.
    JsonNode clients = operator.getJson(Wire.ADMIN_CLIENTS).path("clients");
    assertEquals(SILOS, clients.size(), clients.toString());
    for (JsonNode c : clients) {
      int i = Integer.parseInt(c.path("client_id").asText().substring("silo-".length()));
      assertEquals(fingerprints.get(i), c.path("certificate_sha256").asText(), c.toString());
    }
    assertTrue(jvms.text("coordinator.err").contains("client_registered")
        || jvms.text("coordinator.out").contains("client_registered"), "registration logged");
  }

  private static float value(int i) {
    return 0.01f * i;
  }

  private static long weight(int i) {
    return 10L * i * i;
  }

  private static float[] modelAfter(CoordinatorClient operator, int version, int count) {
    while (true) {
      CoordinatorClient.GlobalModel g = operator.model(count);
      if (g.version() >= version) {
        assertEquals(version, g.version(), "model version");
        return g.parameters();
      }
      operator.round(version);
    }
  }
}
