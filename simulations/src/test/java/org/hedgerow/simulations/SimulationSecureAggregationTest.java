package org.hedgerow.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small three-silo federation behind secure aggregation, end to end over HTTP on 127.0.0.1. */
class SimulationSecureAggregationTest {
  @TempDir Path out;

  private static SimulationResult run(ObjectNode overrides) throws Exception {
    Scenario s = SmallFederation.scenario().with(overrides, "test");
    return new Simulation(s, new PrintStream(new ByteArrayOutputStream())).run(SmallFederation.data());
  }

  @Test
  void run_secAggPlus_federatedSecaggMatchesFederatedUpToQuantisation() throws Exception {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("secure_aggregation", "secagg+");
    SimulationResult r = run(o);
    MethodResult plain = r.methods().get("federated");
    MethodResult secure = r.methods().get("federated-secagg");
    assertTrue(secure != null, "methods: " + r.methods().keySet());
    // Same seeds, same training; the models differ only by quantisation (≈1e-7 per parameter),
    // which moves a ranking metric by at most a basket or two of a few hundred.
    assertEquals(plain.overall().hr10(), secure.overall().hr10(), 0.01);
    assertEquals(plain.overall().auc(), secure.overall().auc(), 0.01);
    Reports.write(r, out);
    JsonNode s = new ObjectMapper().readTree(out.resolve(Reports.SUMMARY).toFile());
    assertTrue(s.at("/methods/federated-secagg/hr@10").isNumber(), s.at("/methods").toString());
    assertEquals("secagg+", s.at("/scenario/secure_aggregation").asText());
  }

  @Test
  void scenario_secureAggregationWithCentralDp_isRefusedWithReason() {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("secure_aggregation", "secagg").put("privacy", "central");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SmallFederation.scenario().with(o, "test"));
    assertTrue(e.getMessage().contains("privacy 'local'"), e.getMessage());
  }

  @Test
  void scenario_secureAggregationObjectForm_roundTrips() {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.putObject("secure_aggregation").put("mode", "secagg+").put("neighbours", 4).put("bits", 20);
    Scenario s = SmallFederation.scenario().with(o, "test");
    assertEquals(4, s.secureAggregation().neighbours());
    assertEquals(s, Scenario.bundledDefault().with(s.toJson(), "again"));
    ObjectNode bad = new ObjectMapper().createObjectNode();
    bad.putObject("secure_aggregation").put("mode", "secagg+").put("neigbours", 4);
    assertThrows(IllegalArgumentException.class, () -> SmallFederation.scenario().with(bad, "test"));
  }

  @Test
  @Tag("slow")
  void run_localDpWithSecAgg_reportsFederatedDpSecagg() throws Exception {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("privacy", "local").put("epsilon_cap", 3.0).put("secure_aggregation", "secagg");
    SimulationResult r = run(o);
    assertTrue(r.methods().containsKey("federated-dp"), "methods: " + r.methods().keySet());
    assertTrue(r.methods().containsKey("federated-dp-secagg"), "methods: " + r.methods().keySet());
    double hr = r.methods().get("federated-dp-secagg").overall().hr10();
    assertTrue(hr > 0 && hr <= 1, "hr@10 " + hr);
  }

  @Test
  void scenario_distributedDpWithoutSecureAggregation_isRefusedWithReason() {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("privacy", "local").put("distributed_dp", true);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SmallFederation.scenario().with(o, "test"));
    assertTrue(e.getMessage().startsWith("distributed_dp needs privacy 'local'"), e.getMessage());
    ObjectNode ok = new ObjectMapper().createObjectNode();
    ok.put("privacy", "local").put("distributed_dp", true).put("ddp_learning_rate", 2.0).put("secure_aggregation", "secagg");
    Scenario s = SmallFederation.scenario().with(ok, "test");
    assertEquals(s, Scenario.bundledDefault().with(s.toJson(), "again"));
    assertEquals(2.0, s.distributedDpOptions().learningRate());
  }

  /**
   * End to end in-process: the real coordinator (secure aggregation with distributed DP announced),
   * three silos that check the terms, charge their budgets, add their shares and mask; the sums
   * decode into two rounds of a model (the run fails if a silo's ε differs from the accountant or
   * passes its cap).
   */
  @Test
  @Tag("slow")
  void run_distributedDp_reportsFederatedDdpSecagg() throws Exception {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("privacy", "local").put("epsilon_cap", 3.0).put("secure_aggregation", "secagg").put("distributed_dp", true);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Scenario s = SmallFederation.scenario().with(o, "test");
    SimulationResult r = new Simulation(s, new PrintStream(log)).run(SmallFederation.data());
    assertTrue(r.methods().containsKey("federated-ddp-secagg"), "methods: " + r.methods().keySet());
    double hr = r.methods().get("federated-ddp-secagg").overall().hr10();
    assertTrue(hr > 0 && hr <= 1, "hr@10 " + hr);
    String text = log.toString();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("federated-ddp-secagg: max silo epsilon ([0-9.]+)")
        .matcher(text);
    assertTrue(m.find(), text);
    double eps = Double.parseDouble(m.group(1));
    assertTrue(eps <= 3.0 && eps > 2.9, "max silo epsilon " + eps);
  }
}
