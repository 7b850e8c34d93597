package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code hedgerow bench secagg}, run in-process through the real command tree, at small sizes. */
class BenchSecAggTest {
  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static double field(String json, String key) {
    return CliRun.jsonNumber(json, key);
  }

  @Test
  void benchSecagg_classicWithDropouts_reportsCorrectSumAndMetrics() {
    CliRun r = run("bench", "secagg", "--clients", "12", "--dim", "300", "--dropout", "0.25", "--json");
    assertEquals(0, r.exitCode(), r.err() + r.out());
    assertTrue(r.out().contains("\"correct\": true"), r.out());
    assertEquals(11, field(r.out(), "neighbours"));
    assertEquals(3, field(r.out(), "dropped"));
    assertEquals(9, field(r.out(), "survivors"));
    assertTrue(field(r.out(), "client_ms") > 0);
    assertTrue(field(r.out(), "server_ms") > 0);
    // upload: 4·D bytes of masked input plus keys, shares and headers
    assertTrue(field(r.out(), "expansion") > 1.0 && field(r.out(), "expansion") < 3.0, r.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"keys", "shares", "masked", "unmask", "mixed"})
  void benchSecagg_eachDropStage_sumIsCorrect(String stage) {
    CliRun r = run("bench", "secagg", "--clients", "16", "--dim", "64", "--dropout", "0.2", "--neighbours", "8",
        "--drop-stage", stage, "--seed", "7", "--json");
    assertEquals(0, r.exitCode(), r.err() + r.out());
    assertTrue(r.out().contains("\"correct\": true"), r.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"first-round", "steady-state"})
  void benchSecagg_federationCa_certifiedKeysCheckedAndSumIsCorrect(String mode) {
    CliRun r = run("bench", "secagg", "--clients", "16", "--dim", "64", "--dropout", "0.2", "--neighbours", "8",
        "--federation-ca", mode, "--json");
    assertEquals(0, r.exitCode(), r.err() + r.out());
    assertTrue(r.out().contains("\"correct\": true"), r.out());
    assertTrue(field(r.out(), "client_ms_share") > 0, r.out());
  }

  @Test
  void benchSecagg_textOutput_listsFields() {
    CliRun r = run("bench", "secagg", "--clients", "5", "--dim", "10", "--bits", "16");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("correct          true"), r.out());
    assertTrue(r.out().contains("server_vs_plain"), r.out());
  }

  @Test
  void benchSecagg_tooManyDropoutsForTheGraph_reportsAbortAndExitsOne() {
    CliRun r = run("bench", "secagg", "--clients", "12", "--dim", "10", "--neighbours", "4", "--dropout", "0.6", "--json");
    assertEquals(1, r.exitCode(), r.err() + r.out());
    assertTrue(r.out().contains("\"correct\": false"), r.out());
    assertTrue(r.out().contains("\"aborted\": \"round 1 aborted"), r.out());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--clients 2 --dim 10|numClients must be >= 3",
      "--clients 10 --dim 0|dimension must be in",
      "--clients 10 --dim 5 --dropout 1|--dropout must be in [0, 1)",
      "--clients 10 --dim 5 --neighbours 10|neighbours must be in [2, numClients − 1 = 9]",
      "--clients 11 --dim 5 --neighbours 5|neighbours must be even",
      "--clients 10 --dim 5 --neighbours 8 --threshold 3|threshold must be in",
      "--clients 10 --dim 5 --bits 40|--bits must be in [2, 32]",
      "--clients 10 --dim 5 --drop-stage later|--drop-stage must be one of",
      "--clients 1000 --dim 5 --bits 11|leaves 1 quantisation bits for 1000 clients",
      "--clients 10 --dim 5 --threads 0|--threads must be >= 1",
      "--clients 10 --dim 5 --federation-ca later|--federation-ca must be one of none, first-round, steady-state"})
  void benchSecagg_badParameters_exitTwoWithMessage(String args, String message) {
    String[] a = ("bench secagg " + args).split(" ");
    CliRun r = run(a);
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains(message), "stderr was: " + r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }
}
