package org.hedgerow.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.hedgerow.privacy.noise.NoiseSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deterministic_noise}: a DP simulation replays bit for bit from its seed — every method's
 * metrics, every round, every ledger entry and every final model — and a different seed gives
 * different DP models. Deterministic, not statistical: there is no false-rejection rate (two DP
 * runs with different streams give equal 12k-parameter models only by a collision of SHA-256).
 */
class DeterministicNoiseTest {
  @TempDir Path out;

  private static SimulationResult run(Scenario s, FederationData data, ByteArrayOutputStream console) throws Exception {
    return new Simulation(s, new PrintStream(console, true, StandardCharsets.UTF_8)).run(data);
  }

  private static Scenario scenario(ObjectNode o, long noiseSeed) {
    o.put("deterministic_noise", noiseSeed);
    return SmallFederation.scenario().with(o, "test");
  }

  private static void assertSameRun(SimulationResult a, SimulationResult b) {
    assertEquals(a.methods().keySet(), b.methods().keySet());
    a.methods().forEach((m, r) -> {
      assertEquals(r.overall(), b.methods().get(m).overall(), m);
      assertEquals(r.perSilo(), b.methods().get(m).perSilo(), m);
    });
    assertEquals(a.rounds().stream().map(RoundRow::hr10).toList(), b.rounds().stream().map(RoundRow::hr10).toList());
    assertEquals(a.dpRounds().stream().map(RoundRow::hr10).toList(),
        b.dpRounds().stream().map(RoundRow::hr10).toList());
    // The ledger is in the order the coordinator accepted the silos' posts (arrival order); per holder it replays.
    java.util.Comparator<org.hedgerow.privacy.budget.Spend> byHolder = java.util.Comparator
        .comparing(org.hedgerow.privacy.budget.Spend::holder).thenComparingLong(org.hedgerow.privacy.budget.Spend::counter);
    assertEquals(a.privacy().spends().stream().sorted(byHolder).toList(),
        b.privacy().spends().stream().sorted(byHolder).toList());
    assertFalse(a.modelDigests().isEmpty());
    assertEquals(a.modelDigests(), b.modelDigests());
  }

  private static FederationData devices() {
    FederationData small = SmallFederation.data();
    List<org.hedgerow.edge.task.CustomerLog> all = small.silos().stream().flatMap(s -> s.customers().stream()).toList();
    // The small federation's customers, one device each (as partition 'customer' splits them).
    List<org.hedgerow.edge.task.SiloData> one = all.stream()
        .map(c -> new org.hedgerow.edge.task.SiloData("customer-" + c.customerId(), List.of(c))).toList();
    return new FederationData(small.report(), small.holdout(), small.catalogue(), one, small.pooledStats());
  }

  private static ObjectNode crossDevice(String privacy) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("partition", "customer").put("clients_per_round", 40).put("privacy", privacy).put("epsilon_cap", 4.0);
    return o;
  }

  @Test
  void crossDeviceCentralDp_sameNoiseSeedTwice_bitIdenticalMetricsLedgerAndModels() throws Exception {
    FederationData data = devices();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    SimulationResult a = run(scenario(crossDevice("central"), 21), data, console);
    SimulationResult b = run(scenario(crossDevice("central"), 21), data, new ByteArrayOutputStream());
    assertSameRun(a, b);
    assertEquals(a.crossDevice().federations().get("federated-dp").stream().map(CrossDeviceReport.Round::sampled)
        .toList(), b.crossDevice().federations().get("federated-dp").stream().map(CrossDeviceReport.Round::sampled)
        .toList(), "the secret cohort draws replay too");
    assertTrue(console.toString(StandardCharsets.UTF_8).contains(NoiseSource.WARNING));
    assertFalse(NoiseSource.isDeterministic(), "the scope ends with the run");

    SimulationResult c = run(scenario(crossDevice("central"), 22), data, new ByteArrayOutputStream());
    assertNotEquals(a.modelDigests().get("federated-dp"), c.modelDigests().get("federated-dp"));
    assertEquals(a.modelDigests().get("federated"), c.modelDigests().get("federated"), "no noise in federated");
  }

  @Test
  void crossDeviceLocalDp_sameNoiseSeedTwice_bitIdenticalAndDifferentSeedDiffers() throws Exception {
    FederationData data = devices();
    SimulationResult a = run(scenario(crossDevice("local"), 5), data, new ByteArrayOutputStream());
    SimulationResult b = run(scenario(crossDevice("local"), 5), data, new ByteArrayOutputStream());
    assertSameRun(a, b);
    SimulationResult c = run(scenario(crossDevice("local"), 6), data, new ByteArrayOutputStream());
    assertNotEquals(a.modelDigests().get("federated-dp"), c.modelDigests().get("federated-dp"));
  }

  @Test
  void summaryAndTable_deterministicRun_markedResearchOnly() throws Exception {
    SimulationResult a = run(scenario(crossDevice("central"), 3), devices(), new ByteArrayOutputStream());
    Reports.write(a, out);
    JsonNode s = new ObjectMapper().readTree(out.resolve(Reports.SUMMARY).toFile());
    assertEquals("deterministic_noise", s.fieldNames().next(), "the mark comes first");
    assertEquals(NoiseSource.WARNING, s.at("/deterministic_noise/warning").asText());
    assertEquals(3, s.at("/deterministic_noise/seed").asLong());
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    Reports.printTable(a, new PrintStream(table, true, StandardCharsets.UTF_8));
    assertTrue(table.toString(StandardCharsets.UTF_8).contains(NoiseSource.WARNING));
  }

  /** Cross-silo, over HTTP: DP-SGD at the silos, their releases and secret seeds, SecAgg+ rounding, distributed DP. */
  @Test
  @Tag("slow")
  void crossSiloLocalSecAggAndDistributedDp_sameNoiseSeedTwice_bitIdentical() throws Exception {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("privacy", "local").put("epsilon_cap", 4.0).put("secure_aggregation", "secagg+").put("distributed_dp", true);
    SimulationResult a = run(scenario(o.deepCopy(), 13), SmallFederation.data(), new ByteArrayOutputStream());
    SimulationResult b = run(scenario(o.deepCopy(), 13), SmallFederation.data(), new ByteArrayOutputStream());
    assertTrue(a.modelDigests().keySet().containsAll(List.of("federated-dp", "federated-dp-secagg",
        "federated-ddp-secagg")), a.modelDigests().toString());
    assertSameRun(a, b);
    SimulationResult c = run(scenario(o.deepCopy(), 14), SmallFederation.data(), new ByteArrayOutputStream());
    for (String m : List.of("federated-dp", "federated-dp-secagg", "federated-ddp-secagg")) {
      assertNotEquals(a.modelDigests().get(m), c.modelDigests().get(m), m);
    }
  }

  /** Cross-silo central DP: the coordinator's noise. */
  @Test
  @Tag("slow")
  void crossSiloCentralDp_sameNoiseSeedTwice_bitIdentical() throws Exception {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("privacy", "central").put("epsilon_cap", 4.0);
    SimulationResult a = run(scenario(o.deepCopy(), 17), SmallFederation.data(), new ByteArrayOutputStream());
    SimulationResult b = run(scenario(o.deepCopy(), 17), SmallFederation.data(), new ByteArrayOutputStream());
    assertSameRun(a, b);
    SimulationResult c = run(scenario(o.deepCopy(), 18), SmallFederation.data(), new ByteArrayOutputStream());
    assertNotEquals(a.modelDigests().get("federated-dp"), c.modelDigests().get("federated-dp"));
  }
}
