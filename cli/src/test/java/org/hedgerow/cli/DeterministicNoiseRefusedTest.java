package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Production commands keep SecureRandom: {@code client} and {@code coordinator start} refuse deterministic noise. */
class DeterministicNoiseRefusedTest {
  @TempDir Path dir;

  @Test
  void client_deterministicNoiseFlag_exit2SayingResearchOnly() {
    CliRun r = CliRun.of("client", "--coordinator", "http://127.0.0.1:1", "--silo", "s", "--data",
        "../data/online-retail/online_retail.csv.gz", "--deterministic-noise", "7");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--deterministic-noise") && r.err().contains("research only")
        && r.err().contains("SecureRandom"), r.err());
  }

  @Test
  void coordinatorStart_deterministicNoiseFlag_exit2SayingResearchOnly() {
    CliRun r = CliRun.of("coordinator", "start", "--clients", "3", "--port", "0", "--deterministic-noise", "7");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("coordinator start") && r.err().contains("research only"), r.err());
  }

  @Test
  void coordinatorStart_scenarioWithDeterministicNoise_exit2SayingResearchOnly() throws Exception {
    Path scenario = dir.resolve("s.json");
    Files.writeString(scenario, "{\"deterministic_noise\": 11}");
    CliRun r = CliRun.of("coordinator", "start", "--clients", "3", "--port", "0", "--scenario", scenario.toString());
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("deterministic_noise") && r.err().contains("SecureRandom"), r.err());
  }
}
