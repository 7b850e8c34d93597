package org.hedgerow.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator with three edge clients over real HTTP on 127.0.0.1, on a small real subset
 * (Germany, France, Iberia), end to end to the report files.
 */
class SimulationLoopbackTest {
  @TempDir Path out;

  private SimulationResult run() throws Exception {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    return new Simulation(SmallFederation.scenario(), quiet).run(SmallFederation.data());
  }

  @Test
  void run_threeSilosOverHttp_everyRoundHasAllClientsAndReportsAreWritten() throws Exception {
    SimulationResult r = run();
    assertEquals(List.of("france", "germany", "iberia"), r.silos().stream().map(SimulationResult.SiloInfo::name).toList());
    assertEquals(2, r.rounds().size());
    for (RoundRow row : r.rounds()) {
      assertEquals(3, row.clients());
      assertTrue(row.bytesUp() > 0 && row.bytesDown() > 0, row.toString());
    }
    assertEquals(Set.of("popularity", "repeat", "tifu-knn", "tifu-knn-local", "local-only", "centralized",
        "federated", "federated-explore"), r.methods().keySet());
    double hr = r.methods().get("federated").overall().hr10();
    assertTrue(hr > 0 && hr <= 1, "hr@10 " + hr);

    Reports.write(r, out);
    JsonNode s = new ObjectMapper().readTree(out.resolve(Reports.SUMMARY).toFile());
    for (String k : List.of("hr@10", "recall@10", "ndcg@10", "auc", "per_silo")) {
      assertTrue(s.at("/methods/federated").has(k), k);
    }
    assertTrue(s.at("/methods/federated/per_silo/iberia").has("hr@10"));
    assertEquals(3, s.get("silos").size());
    assertTrue(s.at("/dataset/dropped_by_reason").has("cancellation"));
    assertEquals("last-invoice", s.get("holdout").asText());
    assertEquals(2, s.get("rounds").asInt());
    assertTrue(s.at("/seconds/total").asDouble() > 0);
    List<String> csv = Files.readAllLines(out.resolve(Reports.ROUNDS));
    assertEquals(RoundRow.HEADER, csv.get(0));
    assertEquals(3, csv.size());
    assertTrue(Files.size(out.resolve(Reports.PLOT)) > 1000);
  }

  @Test
  void run_sameSeedTwice_sameMetrics() throws Exception {
    SimulationResult a = run();
    SimulationResult b = run();
    for (String m : a.methods().keySet()) {
      assertEquals(a.methods().get(m).overall(), b.methods().get(m).overall(), m);
    }
    for (int i = 0; i < a.rounds().size(); i++) {
      assertEquals(a.rounds().get(i).hr10(), b.rounds().get(i).hr10());
    }
  }
}
