package org.hedgerow.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hedgerow.aggregation.strategy.AggregatorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioTest {
  @TempDir Path tmp;

  @Test
  void load_partialFile_overridesOnlyGivenKeys() throws Exception {
    Path f = tmp.resolve("s.json");
    Files.writeString(f, "{\"rounds\": 3, \"holdout\": \"after=2011-10-01\"}");
    Scenario s = Scenario.load(f);
    assertEquals(3, s.rounds());
    assertEquals("after=2011-10-01", s.holdout());
    assertEquals(Scenario.bundledDefault().hidden(), s.hidden());
  }

  @Test
  void load_unknownKey_failsNamingIt() throws Exception {
    Path f = tmp.resolve("s.json");
    Files.writeString(f, "{\"roundz\": 3}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(f));
    assertTrue(e.getMessage().contains("unknown key 'roundz'"), e.getMessage());
  }

  @Test
  void load_wrongType_failsNamingKey() throws Exception {
    Path f = tmp.resolve("s.json");
    Files.writeString(f, "{\"rounds\": \"ten\"}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(f));
    assertTrue(e.getMessage().contains("'rounds' must be an integer"), e.getMessage());
  }

  @Test
  void load_zeroRounds_rejected() throws Exception {
    Path f = tmp.resolve("s.json");
    Files.writeString(f, "{\"rounds\": 0}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(f));
    assertEquals("rounds must be >= 1. Provided value: 0", e.getMessage());
  }

  @Test
  void load_notJson_failsNamingFile() throws Exception {
    Path f = tmp.resolve("broken.json");
    Files.writeString(f, "{rounds:");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(f));
    assertTrue(e.getMessage().contains("broken.json"), e.getMessage());
  }

  private IllegalArgumentException loadFails(String json) throws Exception {
    Path f = tmp.resolve("p.json");
    Files.writeString(f, json);
    return assertThrows(IllegalArgumentException.class, () -> Scenario.load(f));
  }

  @Test
  void load_privacyKeys_readAndDefaultsKept() throws Exception {
    Path f = tmp.resolve("s.json");
    Files.writeString(f, "{\"privacy\": \"local\", \"epsilon_cap\": 4, \"noise_multiplier\": 1.5}");
    Scenario s = Scenario.load(f);
    assertEquals("local", s.privacy());
    assertTrue(s.privacyEnabled());
    assertEquals(4.0, s.epsilonCap());
    assertEquals(1.5, s.noiseMultiplier());
    assertEquals(Scenario.bundledDefault().delta(), s.delta());
    assertEquals("none", Scenario.bundledDefault().privacy());
    assertEquals(null, Scenario.bundledDefault().noiseMultiplier());
    assertEquals(s, Scenario.bundledDefault().with(s.toJson(), "round trip"));
  }

  @Test
  void load_badPrivacyParameters_rejectedWithClearMessages() throws Exception {
    assertEquals("epsilon_cap must be > 0 and finite. Provided value: 0.0", loadFails("{\"epsilon_cap\": 0}").getMessage());
    assertEquals("epsilon_cap must be > 0 and finite. Provided value: -1.0", loadFails("{\"epsilon_cap\": -1}").getMessage());
    assertEquals("delta must be in (0, 1). Provided value: 0.0", loadFails("{\"delta\": 0}").getMessage());
    assertEquals("delta must be in (0, 1). Provided value: 1.0", loadFails("{\"delta\": 1}").getMessage());
    assertEquals("privacy must be one of [none, local, central]. Provided value: distributed",
        loadFails("{\"privacy\": \"distributed\"}").getMessage());
    assertEquals("sample_rate must be in (0, 1]. Provided value: 0.0", loadFails("{\"sample_rate\": 0}").getMessage());
    assertEquals("sample_rate must be in (0, 1]. Provided value: 1.5", loadFails("{\"sample_rate\": 1.5}").getMessage());
    assertEquals("noise_multiplier must be > 0 and finite (or null to calibrate). Provided value: 0.0",
        loadFails("{\"noise_multiplier\": 0}").getMessage());
    assertEquals("noise_multiplier must be > 0 and finite (or null to calibrate). Provided value: -2.0",
        loadFails("{\"noise_multiplier\": -2}").getMessage());
    assertEquals("clip_norm must be > 0 and finite. Provided value: 0.0", loadFails("{\"clip_norm\": 0}").getMessage());
    assertEquals("dp_steps_per_round must be >= 1. Provided value: 0", loadFails("{\"dp_steps_per_round\": 0}").getMessage());
    assertEquals("dp_learning_rate must be > 0 and finite. Provided value: 0.0",
        loadFails("{\"dp_learning_rate\": 0}").getMessage());
    assertEquals("stats_noise_multiplier must be > 0 and finite. Provided value: 0.0",
        loadFails("{\"stats_noise_multiplier\": 0}").getMessage());
    assertEquals(4.0, Scenario.bundledDefault().statsNoiseMultiplier());
    assertTrue(loadFails("{\"epsilon_cap\": \"eight\"}").getMessage().contains("'epsilon_cap' must be a number"));
  }

  @Test
  void load_localDpWithoutDeclaredPublicInputs_refusedNamingThem() throws Exception {
    assertEquals("privacy 'local' needs public inputs declared in the scenario: 'catalogue' (a product list file) "
        + "— values read off the customers' data would not be covered by the DP guarantee",
        loadFails("{\"privacy\": \"local\", \"catalogue\": null}").getMessage());
    assertTrue(loadFails("{\"privacy\": \"local\", \"training_end\": null}").getMessage()
        .contains("'training_end' (YYYY-MM-DD)"));
    assertEquals("training_end must be a date YYYY-MM-DD. Provided value: 2011-13-01",
        loadFails("{\"training_end\": \"2011-13-01\"}").getMessage());
    assertEquals("count_noise_multiplier must be > 0 and finite. Provided value: 0.0",
        loadFails("{\"count_noise_multiplier\": 0}").getMessage());
    Scenario d = Scenario.bundledDefault();
    assertEquals("data/online-retail/catalogue.csv", d.catalogue());
    assertEquals(java.time.LocalDateTime.of(2011, 12, 10, 0, 0), d.trainingEndTime());
  }

  @Test
  void bundledDefault_aggregator_isFedAvg() {
    assertEquals(AggregatorSpec.DEFAULT, Scenario.bundledDefault().aggregator());
  }

  @Test
  void load_aggregatorName_read() throws Exception {
    Path f = tmp.resolve("s.json");
    Files.writeString(f, "{\"aggregator\": \"fedyogi\"}");
    assertEquals(AggregatorSpec.of("fedyogi"), Scenario.load(f).aggregator());
  }

  @Test
  void load_aggregatorObject_readAndRoundTrips() throws Exception {
    Path f = tmp.resolve("s.json");
    Files.writeString(f, "{\"aggregator\": {\"name\": \"fedadam\", \"server_learning_rate\": 0.05, "
        + "\"beta1\": 0.8, \"beta2\": 0.95, \"tau\": 0.01, \"max_update_norm\": 3}}");
    Scenario s = Scenario.load(f);
    assertEquals(new AggregatorSpec("fedadam", 0.05, null, 0.8, 0.95, 0.01, null, 3.0), s.aggregator());
    assertEquals(s, Scenario.bundledDefault().with(s.toJson(), "round trip"));
    assertEquals("fedadam", s.toJson().at("/aggregator/name").asText());
    assertEquals("fedavg", Scenario.bundledDefault().toJson().get("aggregator").asText());
  }

  @Test
  void load_aggregatorUnknownKeyOrName_refusedNamingIt() throws Exception {
    assertTrue(loadFails("{\"aggregator\": {\"name\": \"trimmed-mean\", \"trim\": 0.1}}").getMessage()
        .contains("unknown key 'aggregator.trim'"));
    assertEquals("aggregator must be one of [fedavg, fedavgm, fedadam, fedyogi, median, trimmed-mean]. "
        + "Provided value: krum", loadFails("{\"aggregator\": \"krum\"}").getMessage());
    assertTrue(loadFails("{\"aggregator\": {\"tau\": 0.1}}").getMessage().contains("'aggregator.name' must be a string"));
    assertTrue(loadFails("{\"aggregator\": 3}").getMessage().contains("'aggregator' must be a string or an object"));
    assertTrue(loadFails("{\"aggregator\": {\"name\": \"fedadam\", \"tau\": \"small\"}}").getMessage()
        .contains("'aggregator.tau' must be a number"));
  }

  @Test
  void load_aggregatorBadParameter_refusedNamingValue() throws Exception {
    assertEquals("trim_fraction must be in (0, 0.5). Provided value: 0.6",
        loadFails("{\"aggregator\": {\"name\": \"trimmed-mean\", \"trim_fraction\": 0.6}}").getMessage());
    assertTrue(loadFails("{\"aggregator\": {\"name\": \"fedavg\", \"tau\": 0.1}}").getMessage()
        .startsWith("aggregator fedavg takes no parameter tau"));
  }

  @Test
  void load_individualUpdateRuleWithSecureAggregation_refused() throws Exception {
    IllegalArgumentException e = loadFails("{\"aggregator\": \"median\", \"secure_aggregation\": \"secagg\"}");
    assertTrue(e.getMessage().startsWith("aggregator median needs each client's update, but secure aggregation"),
        e.getMessage());
    assertTrue(loadFails("{\"aggregator\": {\"name\": \"fedadam\", \"max_update_norm\": 1}, "
        + "\"secure_aggregation\": \"secagg+\"}").getMessage().contains("needs each client's update"));
  }

  @Test
  void load_serverOptimiserWithSecureAggregation_accepted() throws Exception {
    Path f = tmp.resolve("s.json");
    Files.writeString(f, "{\"aggregator\": \"fedadam\", \"secure_aggregation\": \"secagg\"}");
    assertEquals("fedadam", Scenario.load(f).aggregator().name());
  }

  @Test
  void load_individualUpdateRuleWithCentralDp_refused() throws Exception {
    IllegalArgumentException e = loadFails("{\"aggregator\": \"trimmed-mean\", \"privacy\": \"central\"}");
    assertTrue(e.getMessage().contains("central DP releases only the noisy mean"), e.getMessage());
  }
}
