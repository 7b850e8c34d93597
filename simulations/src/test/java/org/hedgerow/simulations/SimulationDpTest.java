package org.hedgerow.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hedgerow.privacy.accounting.DpEvent;
import org.hedgerow.privacy.accounting.GaussianEvent;
import org.hedgerow.privacy.accounting.RdpAccountant;
import org.hedgerow.privacy.budget.Spend;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** federated-dp end to end on the small three-silo federation, over HTTP on 127.0.0.1. */
class SimulationDpTest {
  @TempDir Path out;

  private static SimulationResult run(ObjectNode overrides) throws Exception {
    Scenario s = SmallFederation.scenario().with(overrides, "test");
    return new Simulation(s, new PrintStream(new ByteArrayOutputStream())).run(SmallFederation.data());
  }

  @Test
  void run_localDpWithDescribedCatalogue_federatedDpExploreGivesANewProductAPlaceAtNoExtraSpend() throws Exception {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("privacy", "local").put("epsilon_cap", 3.0).put("delta", 1e-5);
    Scenario s = SmallFederation.scenario().with(o, "test");
    SimulationResult r = new Simulation(s, new PrintStream(new ByteArrayOutputStream()))
        .run(SmallFederation.withDeclaredCatalogue());
    var dp = r.methods().get("federated-dp").overall();
    var explore = r.methods().get("federated-dp-explore").overall();
    assertEquals(dp.baskets(), explore.baskets());
    // One of the top 10 is always a product new to the customer: at most 9 of 10 are repeats.
    assertTrue(explore.repeatShare10() <= 0.9 + 1e-9, "repeat share " + explore.repeatShare10());
    assertTrue(dp.repeatShare10() > explore.repeatShare10(), dp.repeatShare10() + " vs " + explore.repeatShare10());
    // Post-processing: the privacy report has the same releases and rounds as without the policy.
    r.privacy().holders().forEach((silo, h) -> {
      assertTrue(h.epsilon() <= 3.0, silo + " spent " + h.epsilon());
      assertEquals(2, h.rounds(), silo);
    });
    Reports.write(r, out);
    assertEquals(1 + 3 * 4, Files.readAllLines(out.resolve(Reports.PRIVACY)).size());
  }

  @Test
  void run_localDpWithCap_everySiloWithinCapByAccountantAndLedgerWritten() throws Exception {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("privacy", "local").put("epsilon_cap", 3.0).put("delta", 1e-5);
    SimulationResult r = run(o);
    assertTrue(r.methods().containsKey("federated-dp"));
    assertTrue(r.methods().containsKey("federated"));
    assertTrue(!r.methods().containsKey("federated-dp-explore"),
        "a catalogue without public descriptions gives a DP silo no order for new products");
    PrivacyReport p = r.privacy();
    assertNotNull(p);
    assertEquals(2, r.dpRounds().size());
    assertEquals(3, p.holders().size());
    // σ was calibrated so that the silo release (item statistics and customer count) plus the
    // planned 2 rounds just fit: recompute every silo's ε independently, releases first.
    double expected = new RdpAccountant().compose(new GaussianEvent(r.scenario().statsNoiseMultiplier()))
        .compose(new GaussianEvent(r.scenario().countNoiseMultiplier()))
        .compose(DpEvent.sampledGaussian(p.noiseMultiplier(), r.scenario().sampleRate(),
            2L * r.scenario().dpStepsPerRound())).epsilon(1e-5).epsilon();
    assertTrue(expected > 2.99, "the planned run should just fit the cap: " + expected);
    p.holders().forEach((silo, h) -> {
      assertTrue(h.epsilon() <= 3.0, silo + " spent " + h.epsilon());
      assertEquals(expected, h.epsilon(), 0.0, silo);
      assertEquals(2, h.rounds(), silo);
    });

    Reports.write(r, out);
    List<String> csv = Files.readAllLines(out.resolve(Reports.PRIVACY));
    assertEquals(Spend.CSV_HEADER, csv.get(0));
    assertEquals(1 + 3 * 4, csv.size(), "per silo: its two releases (round 0) and 2 rounds");
    for (String line : csv.subList(1, csv.size())) {
      String[] f = line.split(",");
      assertTrue(f[0].equals("0") ? f[2].equals("silo-stats-gaussian") || f[2].equals("silo-count-gaussian")
          : f[2].equals("dp-sgd-user"), line);
      assertTrue(Double.parseDouble(f[6]) <= 3.0, line);
    }
    JsonNode s = new ObjectMapper().readTree(out.resolve(Reports.SUMMARY).toFile());
    assertEquals(1e-5, s.at("/privacy/delta").asDouble());
    for (String silo : List.of("france", "germany", "iberia")) {
      assertEquals(expected, s.at("/privacy/silos/" + silo + "/epsilon").asDouble(), 0.0);
      assertEquals(3.0, s.at("/privacy/silos/" + silo + "/cap").asDouble());
      assertEquals(2, s.at("/privacy/silos/" + silo + "/rounds").asInt());
    }
    double hr = s.at("/methods/federated-dp/hr@10").asDouble();
    assertTrue(hr > 0 && hr <= 1, "hr@10 " + hr);
    assertEquals(3, Files.readAllLines(out.resolve(Reports.DP_ROUNDS)).size());

    // The coordinator's signed ledger of the same spends, checked as an auditor would, under the key written beside it.
    List<org.hedgerow.privacy.ledger.LedgerEntry> links = org.hedgerow.aggregation.wire.LedgerJson.fromJsonLines(
        Files.readString(out.resolve(Reports.LEDGER)));
    assertEquals(p.spends(), links.stream().map(org.hedgerow.privacy.ledger.LedgerEntry::spend).toList());
    org.hedgerow.privacy.ledger.LedgerVerifier.Report v = org.hedgerow.privacy.ledger.LedgerVerifier.verify(links,
        org.hedgerow.privacy.crypto.Hex.decode(Files.readString(out.resolve(Reports.LEDGER_KEY)).strip()),
        java.util.Map.of());
    assertTrue(v.intact(), v.findings().toString());
    assertEquals(v.head(), s.at("/privacy/ledger_head").asText());
  }

  @Test
  @Tag("slow")
  void run_capReachedAfterOneRound_silosDeclineAndRunEndsCleanly() throws Exception {
    double sigma = 1.0;
    Scenario base = SmallFederation.scenario();
    double oneRound = new RdpAccountant().compose(new GaussianEvent(base.statsNoiseMultiplier()))
        .compose(new GaussianEvent(base.countNoiseMultiplier()))
        .compose(DpEvent.sampledGaussian(sigma, base.sampleRate(), base.dpStepsPerRound())).epsilon(1e-5).epsilon();
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("privacy", "local").put("noise_multiplier", sigma).put("epsilon_cap", oneRound).put("delta", 1e-5)
        .put("rounds", 3);
    SimulationResult r = run(o);
    assertEquals(1, r.dpRounds().size());
    assertEquals(3, r.rounds().size()); // the plain federation is unaffected
    r.privacy().holders().forEach((silo, h) -> {
      assertEquals(oneRound, h.epsilon(), 0.0, silo);
      assertEquals(1, h.rounds(), silo);
      assertNotNull(h.declined(), silo);
      assertTrue(h.declined().contains("declines round 2"), h.declined());
    });
    assertTrue(r.privacy().finishReason().contains("no active clients"), r.privacy().finishReason());
    assertTrue(r.methods().containsKey("federated-dp"));
  }
}
