package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.hedgerow.aggregation.strategy.AggregatorSpec;
import org.hedgerow.simulations.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The aggregator options of {@code demo} and {@code simulate}: how they map to the scenario, and bad values. */
class RunOptionsAggregatorTest {
  @TempDir Path tmp;

  @Test
  void asJson_aggregatorWithParameters_becomesScenarioObject() {
    RunOptions o = new RunOptions();
    o.aggregator = "fedyogi";
    o.tau = 0.01;
    o.serverLearningRate = 0.1;
    Scenario s = Scenario.bundledDefault().with(o.asJson(), "command line");
    assertEquals(new AggregatorSpec("fedyogi", 0.1, null, null, null, 0.01, null, null), s.aggregator());
  }

  @Test
  void asJson_aggregatorAlone_becomesName() {
    RunOptions o = new RunOptions();
    o.aggregator = "median";
    assertEquals("median", o.asJson().get("aggregator").asText());
  }

  @Test
  void asJson_parameterWithoutAggregator_refusedNamingOption() {
    RunOptions o = new RunOptions();
    o.trimFraction = 0.2;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, o::asJson);
    assertEquals("--trim-fraction needs --aggregator NAME (the rule it configures)", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "fedadam|--beta2|1|beta2 must be in [0, 1). Provided value: 1.0",
      "fedavgm|--server-momentum|-0.5|server_momentum must be in [0, 1). Provided value: -0.5",
      "trimmed-mean|--trim-fraction|0.5|trim_fraction must be in (0, 0.5). Provided value: 0.5",
      "fedavg|--max-update-norm|0|max_update_norm must be > 0 and finite. Provided value: 0.0",
      "median|--tau|0.1|aggregator median takes no parameter tau",
      "krum|--max-update-norm|1|aggregator must be one of",
  })
  void demo_badAggregatorParameter_exitCode2WithMessage(String name, String option, String value, String message) {
    CliRun r = CliRun.of("demo", "--out", tmp.toString(), "--aggregator", name, option, value);
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains(message), "stderr was: " + r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  @Test
  void demo_medianWithSecureAggregation_refusedBeforeRunning() {
    CliRun r = CliRun.of("demo", "--out", tmp.toString(), "--aggregator", "median", "--secure-aggregation", "secagg");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("needs each client's update, but secure aggregation"), r.err());
  }
}
