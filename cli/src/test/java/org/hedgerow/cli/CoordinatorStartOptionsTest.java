package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hedgerow.coordinator.ServiceLimits;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code coordinator start} and {@code client}: secure-aggregation and central-DP options refused before anything starts. */
class CoordinatorStartOptionsTest {
  @Test
  void start_secAggParametersWithoutSecureAggregation_exit2NamingTheFlag() {
    CliRun r = CliRun.of("coordinator", "start", "--clients", "3", "--port", "0", "--neighbours", "4");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--secure-aggregation"), r.err());
  }

  @Test
  void start_centralDpWithSecureAggregation_exit2NamingBoth() {
    CliRun r = CliRun.of("coordinator", "start", "--clients", "3", "--port", "0", "--central-dp",
        "--secure-aggregation", "secagg+");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("central") && r.err().contains("secure_aggregation"), r.err());
  }

  @Test
  void start_centralDpWithClientSampling_exit2NamingSampling() {
    CliRun r = CliRun.of("coordinator", "start", "--clients", "4", "--port", "0", "--central-dp",
        "--clients-per-round", "2", "--min-clients", "2");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("client sampling"), r.err());
  }

  @Test
  void start_limitFlags_setTheServiceLimits() {
    CoordinatorCommand.Start start = new CoordinatorCommand.Start();
    new CommandLine(start).parseArgs("--clients", "2", "--max-json-body-bytes", "4096", "--max-long-polls", "3",
        "--max-connections-per-address", "7", "--body-read-timeout-seconds", "5", "--idle-timeout-seconds", "90");
    ServiceLimits d = ServiceLimits.DEFAULTS;
    assertEquals(new ServiceLimits(4096, 90, 5000, 7, 3, d.enrolPerSecond(), d.enrolBurst()), start.serviceLimits());
  }

  @Test
  void start_noLimitFlags_theDefaults() {
    CoordinatorCommand.Start start = new CoordinatorCommand.Start();
    new CommandLine(start).parseArgs("--clients", "2");
    assertEquals(ServiceLimits.DEFAULTS, start.serviceLimits());
  }

  @Test
  void start_jsonBodyLimitBelowMinimum_exit2NamingTheFlag() {
    CliRun r = CliRun.of("coordinator", "start", "--clients", "3", "--port", "0", "--max-json-body-bytes", "100");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--max-json-body-bytes must be >= 1024"), r.err());
  }

  @Test
  void start_idleTimeoutNotAboveALongPoll_exit2NamingTheFlag() {
    CliRun r = CliRun.of("coordinator", "start", "--clients", "3", "--port", "0", "--idle-timeout-seconds", "20");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--idle-timeout-seconds must be > 20"), r.err());
  }

  @Test
  void client_minimumsWithoutRequire_exit2NamingRequire() {
    CliRun r = CliRun.of("client", "--coordinator", "http://127.0.0.1:1", "--silo", "s", "--data", "x.csv",
        "--min-clients", "5");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--require-secure-aggregation"), r.err());
  }

  @Test
  void start_distributedDpWithoutSecureAggregation_exit2NamingTheFlag() {
    CliRun r = CliRun.of("coordinator", "start", "--clients", "3", "--port", "0", "--distributed-dp", "8");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--distributed-dp needs --secure-aggregation"), r.err());
  }

  @Test
  void start_distributedDpBadEpsilon_exit2NamingIt() {
    CliRun r = CliRun.of("coordinator", "start", "--clients", "3", "--port", "0", "--secure-aggregation", "secagg",
        "--distributed-dp", "-1");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("distributed DP epsilon must be > 0 and finite. Provided value: -1.0"), r.err());
  }
}
