package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.hedgerow.edge.dp.DpConfig;
import org.hedgerow.edge.dp.SiloRelease;
import org.hedgerow.edge.state.SiloState;
import org.hedgerow.privacy.noise.GaussianNoise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad privacy parameters of {@code hedgerow client} fail at once, before data is read or the coordinator is called. */
class ClientCommandTest {
  @TempDir Path tmp;

  /** A state directory whose budget (silo 's', cap 8) has its release and one round charged. */
  private Path stateWithCap8() {
    Path dir = tmp.resolve("state");
    try (SiloState st = SiloState.open(dir)) {
      st.resume("s", new DpConfig(1, 1.0, 0.5, 5, 0.003, 8, 1e-5, 4, 10), true, 2, 5,
          () -> SiloRelease.compute(List.of(), 5, LocalDateTime.of(2011, 12, 10, 0, 0), 4, 10, new GaussianNoise()))
          .chargeRound(1);
    }
    return dir;
  }

  private static CliRun client(String... extra) {
    String[] base = {"client", "--coordinator", "http://127.0.0.1:1", "--silo", "s", "--data", "no-such-file.csv"};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return CliRun.of(all);
  }

  @Test
  void client_minClientsWithoutRequiringSecureAggregation_exit2NamingBothFlags() {
    CliRun r = client("--min-clients", "12");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--min-clients") && r.err().contains("--require-secure-aggregation"), r.err());
  }

  @Test
  void client_negativeMaxRound_exit2NamingTheFlag() {
    CliRun r = client("--max-round", "-1");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--max-round"), r.err());
  }

  @Test
  void client_negativeEpsilonCap_exit2NamingCap() {
    CliRun r = client("--epsilon-cap", "-1");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().toLowerCase().contains("cap"), r.err());
  }

  @Test
  void client_epsilonCapOpenRegistrationWithoutState_exit2NamingState() {
    CliRun r = client("--epsilon-cap", "8", "--catalogue", "c.csv", "--training-end", "2011-12-10");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--state DIR"), r.err());
  }

  @Test
  void client_restartWithAnotherCap_refusedBeforeReadingData() {
    Path dir = stateWithCap8();
    CliRun r = client("--epsilon-cap", "16", "--catalogue", "c.csv", "--training-end", "2011-12-10", "--state",
        dir.toString());
    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.err().contains("cannot change by restarting") && r.err().contains("--epsilon-cap 8.0"), r.err());
  }

  @Test
  void client_stateInUse_refusedAsLocked() {
    Path dir = stateWithCap8();
    try (SiloState held = SiloState.open(dir)) {
      CliRun r = client("--epsilon-cap", "8", "--catalogue", "c.csv", "--training-end", "2011-12-10", "--state",
          dir.toString());
      assertEquals(1, r.exitCode(), r.err());
      assertTrue(r.err().contains("in use by another hedgerow process"), r.err());
    }
  }

  @Test
  void client_deltaOutsideUnitInterval_exit2NamingDelta() {
    CliRun r = client("--epsilon-cap", "8", "--delta", "1.5");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().toLowerCase().contains("delta"), r.err());
  }

  @Test
  void client_dpWithoutPublicInputs_exit2NamingBothMissing() {
    CliRun r = client("--epsilon-cap", "8");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--catalogue FILE") && r.err().contains("--training-end YYYY-MM-DD"), r.err());
  }

  @Test
  void client_dpWithoutTrainingEnd_exit2NamingIt() {
    CliRun r = client("--epsilon-cap", "8", "--catalogue", "x.csv");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("missing --training-end") && !r.err().contains("--catalogue FILE"), r.err());
  }

  @Test
  void client_badTrainingEnd_exit2NamingTheValue() {
    CliRun r = client("--epsilon-cap", "8", "--catalogue", "x.csv", "--training-end", "10/12/2011");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--training-end must be a date YYYY-MM-DD. Provided value: 10/12/2011"), r.err());
  }
}
