package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hedgerow.edge.client.CoordinatorClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coordinator start} after its last round (issue 9): it keeps serving status and the final
 * model until SIGTERM, so a silo retrying through a restart cannot miss the end; with
 * {@code --exit-after-final} it exits by itself as before. A one-silo development federation whose
 * only silo declines round 1 finishes at once.
 */
@Tag("slow")
class CoordinatorStartLifecycleTest {
  @TempDir Path tmp;
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void stopChildren() throws InterruptedException {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Process coordinator(String... extra) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        Hedgerow.class.getName(), "coordinator", "start", "--clients", "1", "--rounds", "1", "--port", "0"));
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("coordinator.out").toFile())
        .redirectError(tmp.resolve("coordinator.err").toFile()).start();
    children.add(p);
    return p;
  }

  private String out() throws Exception {
    return Files.readString(tmp.resolve("coordinator.out"));
  }

  /** Waits for the bound URL, joins one silo, declines round 1 (the federation finishes), waits for the message. */
  private URI finishFederation(Process p) throws Exception {
    URI url = null;
    for (int i = 0; i < 1200 && url == null; i++) {
      Matcher m = Pattern.compile("coordinator on (http://127\\.0\\.0\\.1:\\d+)").matcher(out());
      if (m.find()) {
        url = URI.create(m.group(1));
      } else if (!p.isAlive()) {
        fail("coordinator exited: " + Files.readString(tmp.resolve("coordinator.err")));
      } else {
        Thread.sleep(100);
      }
    }
    assertTrue(url != null, "coordinator did not listen within 120 s");
    CoordinatorClient silo = new CoordinatorClient(url);
    silo.register("only");
    silo.decline(1, "test: nothing to train on", 0.5, 8);
    for (int i = 0; i < 300 && !out().contains("federation finished"); i++) {
      Thread.sleep(100);
    }
    assertTrue(out().contains("federation finished"), out());
    return url;
  }

  @Test
  void start_afterLastRound_keepsServingUntilSigterm() throws Exception {
    Process p = coordinator();
    URI url = finishFederation(p);
    Thread.sleep(4_000); // longer than the old 2 s window
    assertTrue(p.isAlive(), "exited after the last round: " + out());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (String path : List.of("/v1/status", "/v1/model/parameters", "/v1/round?after=1")) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), path + ": " + r.body());
    }
    p.destroy(); // SIGTERM: the graceful shutdown
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "no exit after SIGTERM");
    assertEquals(143, p.exitValue());
  }

  @Test
  void start_exitAfterFinal_exitsZeroByItself() throws Exception {
    Process p = coordinator("--exit-after-final");
    finishFederation(p);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running with --exit-after-final: " + out());
    assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("coordinator.err")));
  }
}
