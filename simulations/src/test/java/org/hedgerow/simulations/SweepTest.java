package org.hedgerow.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {
  private static final JsonNodeFactory J = JsonNodeFactory.instance;
  @TempDir Path out;

  private static SweepGrid grid(Map<String, List<JsonNode>> axes) {
    ObjectNode base = J.objectNode().put("rounds", 1);
    return new SweepGrid(SmallFederation.scenario(), base, axes);
  }

  @Test
  void points_twoAxes_cartesianProductFirstAxisSlowest() {
    Map<String, List<JsonNode>> axes = new LinkedHashMap<>();
    axes.put("epsilon_cap", List.of(J.numberNode(2.0), J.textNode("inf")));
    axes.put("partition", List.of(J.textNode("region"), J.textNode("dirichlet:0.5:3"), J.textNode("customer")));
    List<ObjectNode> p = grid(axes).points();
    assertEquals(6, p.size());
    assertEquals("{\"epsilon_cap\":2.0,\"partition\":\"region\"}", p.get(0).toString());
    assertEquals("{\"epsilon_cap\":\"inf\",\"partition\":\"customer\"}", p.get(5).toString());
  }

  @Test
  void scenarioFor_capAndInf_localDpCalibratedOrNoDp() {
    SweepGrid g = grid(Map.of("epsilon_cap", List.of(J.numberNode(3.0), J.textNode("inf"))));
    Scenario dp = g.scenarioFor(g.points().get(0));
    assertEquals("local", dp.privacy());
    assertEquals(3.0, dp.epsilonCap());
    assertEquals(null, dp.noiseMultiplier(), "sigma is calibrated to the cap");
    assertEquals("none", g.scenarioFor(g.points().get(1)).privacy());
  }

  @Test
  void constructor_badValueOnAnyPoint_failsBeforeRunningNamingThePoint() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> grid(Map.of("rounds", List.of(J.numberNode(2), J.numberNode(0)))));
    assertTrue(e.getMessage().contains("rounds"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> grid(Map.of("no_such_key", List.of(J.numberNode(1)))));
    assertThrows(IllegalArgumentException.class, () -> grid(Map.of("rounds", List.of())));
  }

  @Test
  void run_interruptedSweep_resumesRunningOnlyMissingOrTruncatedPoints() throws Exception {
    SweepGrid g = grid(Map.of("epsilon_cap", List.of(J.numberNode(4.0), J.textNode("inf"))));
    AtomicInteger loads = new AtomicInteger();
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    List<Sweep.Row> rows = Sweep.run(g, s -> {
      loads.incrementAndGet();
      return SmallFederation.data();
    }, out, quiet);
    assertEquals(1, loads.get(), "one data set for both points");
    assertEquals(2, rows.size());
    assertEquals("federated-dp", rows.get(0).results().get(0));
    assertTrue(Double.parseDouble(rows.get(0).results().get(9)) <= 4.0, "max silo epsilon within the cap");
    assertEquals("federated", rows.get(1).results().get(0));
    assertEquals("", rows.get(1).results().get(9));
    assertTrue(Files.size(out.resolve(Sweep.PLOT)) > 0);

    // Cut the last row in half, as a crash mid-write would: only that point runs again.
    Path table = out.resolve(Sweep.TABLE);
    List<String> lines = new ArrayList<>(Files.readAllLines(table));
    assertEquals(3, lines.size());
    String first = lines.get(1);
    lines.set(2, lines.get(2).substring(0, lines.get(2).length() / 2));
    Files.write(table, lines);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<Sweep.Row> again = Sweep.run(g, s -> SmallFederation.data(), out,
        new PrintStream(log, true, StandardCharsets.UTF_8));
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("2 points, 1 already in"), log.toString());
    assertEquals(2, again.size());
    assertEquals(first, Files.readAllLines(table).get(1), "the finished point is kept as it was");
    assertEquals("federated", again.get(1).results().get(0));
  }

  @Test
  void run_tableOfAnotherGrid_failsNamingTheFile() throws Exception {
    Files.writeString(out.resolve(Sweep.TABLE), "point,rounds,method\n");
    SweepGrid g = grid(Map.of("epsilon_cap", List.of(J.textNode("inf"))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Sweep.run(g, s -> SmallFederation.data(), out, System.out));
    assertTrue(e.getMessage().contains("different grid"), e.getMessage());
  }

  @Test
  void csv_quotedFieldsWithCommasAndQuotes_roundTrip() {
    List<String> cells = List.of("{\"a\":1,\"b\":\"x\"}", "plain", "");
    assertEquals(cells, org.hedgerow.edge.data.CsvLine.split(Sweep.csvLine(cells).strip()));
  }
}
