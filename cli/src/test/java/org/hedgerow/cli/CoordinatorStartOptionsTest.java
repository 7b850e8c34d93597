package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

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
