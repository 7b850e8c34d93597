package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Bad privacy parameters of {@code hedgerow client} fail at once, before data is read or the coordinator is called. */
class ClientCommandTest {
  private static CliRun client(String... extra) {
    String[] base = {"client", "--coordinator", "http://127.0.0.1:1", "--silo", "s", "--data", "no-such-file.csv"};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return CliRun.of(all);
  }

  @Test
  void client_negativeEpsilonCap_exit2NamingCap() {
    CliRun r = client("--epsilon-cap", "-1");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().toLowerCase().contains("cap"), r.err());
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
