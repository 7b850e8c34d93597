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
  void client_epsilonCapOpenRegistrationWithoutState_exit2NamingState() {
    CliRun r = client("--epsilon-cap", "8", "--catalogue", "c.csv", "--training-end", "2011-12-10");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--state DIR"), r.err());
  }

  @Test
  void client_deltaOutsideUnitInterval_exit2NamingDelta() {
    CliRun r = client("--epsilon-cap", "8", "--delta", "1.5");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().toLowerCase().contains("delta"), r.err());
  }
}
