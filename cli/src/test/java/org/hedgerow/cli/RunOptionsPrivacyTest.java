package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.hedgerow.simulations.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The privacy options of {@code demo} and {@code simulate}: how they map to the scenario, and every bad value. */
class RunOptionsPrivacyTest {
  @TempDir Path tmp;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--epsilon-cap|0|epsilon_cap must be > 0 and finite. Provided value: 0.0",
      "--epsilon-cap|-3|epsilon_cap must be > 0 and finite. Provided value: -3.0",
      "--epsilon-cap|Infinity|epsilon_cap must be > 0 and finite. Provided value: Infinity",
      "--delta|0|delta must be in (0, 1). Provided value: 0.0",
      "--delta|1.5|delta must be in (0, 1). Provided value: 1.5",
      "--privacy-mode|distributed|privacy must be one of [none, local, central]. Provided value: distributed",
      "--sample-rate|0|sample_rate must be in (0, 1]. Provided value: 0.0",
      "--sample-rate|1.01|sample_rate must be in (0, 1]. Provided value: 1.01",
      "--noise-multiplier|0|noise_multiplier must be > 0 and finite (or null to calibrate). Provided value: 0.0",
      "--noise-multiplier|-1|noise_multiplier must be > 0 and finite (or null to calibrate). Provided value: -1.0",
      "--clip-norm|0|clip_norm must be > 0 and finite. Provided value: 0.0",
      "--epsilon-cap|eight|Invalid value for option '--epsilon-cap'",
  })
  void demo_badPrivacyParameter_exitCode2WithMessage(String option, String value, String message) {
    CliRun r = run("demo", "--out", tmp.toString(), option, value);
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains(message), "stderr was: " + r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  @Test
  void simulate_badPrivacyParameter_exitCode2WithMessage() {
    CliRun r = run("simulate", "--scenario", "missing.json", "--out", tmp.toString(), "--delta", "2");
    assertEquals(2, r.exitCode(), r.err());
  }

  @Test
  void asJson_epsilonCapAlone_selectsLocalMode() {
    RunOptions o = new RunOptions();
    o.epsilonCap = 4.0;
    o.delta = 1e-6;
    Scenario s = Scenario.bundledDefault().with(o.asJson(), "test");
    assertEquals("local", s.privacy());
    assertEquals(4.0, s.epsilonCap());
    assertEquals(1e-6, s.delta());
    o.privacyMode = "central";
    assertEquals("central", Scenario.bundledDefault().with(o.asJson(), "test").privacy());
    assertEquals("none", Scenario.bundledDefault().with(new RunOptions().asJson(), "test").privacy());
  }
}
