package org.hedgerow.cli.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hedgerow.cli.Hedgerow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditReportCommandTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cl = Hedgerow.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new Run(cl.execute(args), out.toString(), err.toString());
  }

  private Run report(LedgerFixture f, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("audit", "report", "--ledger", f.ledger.toString(), "--coordinator-key",
        f.coordinatorKey.toString(), "--out", out.toString()));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  @Test
  void report_intactLedgerWithEnrolledSilos_exit0EverySiloWithEpsilonAndCapInHtmlAndJson() throws Exception {
    LedgerFixture f = new LedgerFixture(dir);
    Path out = dir.resolve("report");
    Run r = report(f, out, "--enrolled", f.enrolled.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    JsonNode json = new ObjectMapper().readTree(Files.readString(out.resolve("report.json")));
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(json.path("intact").asBoolean());
    assertEquals(12, json.path("links").asInt());
    assertTrue(html.contains("class=\"banner passed\""), "no passed banner");
    assertFalse(html.contains("LEDGER CHECK FAILED"));
    assertTrue(html.contains(json.path("head").asText()), "the head hash is in the page");
    for (int i = 0; i < LedgerFixture.SILOS.size(); i++) {
      String silo = LedgerFixture.SILOS.get(i);
      JsonNode s = null;
      for (JsonNode x : json.path("silos")) {
        if (x.path("holder").asText().equals(silo)) {
          s = x;
        }
      }
      assertTrue(s != null, "report.json lacks " + silo);
      assertEquals(LedgerFixture.CAPS.get(i), s.path("cap").asDouble());
      assertEquals(s.path("epsilon_reported").asDouble(), s.path("epsilon_recomputed").asDouble());
      assertEquals("equal", s.path("epsilon_agreement").asText());
      assertTrue(s.path("key_pinned").asBoolean() && s.path("own_log_compared").asBoolean());
      assertEquals(4, s.path("epsilon_series").size());
      String row = html.substring(html.indexOf("<tr data-silo=\"" + silo + "\">"));
      row = row.substring(0, row.indexOf("</tr>"));
      assertTrue(row.contains(Html.num(s.path("epsilon_reported").asDouble())), row);
      assertTrue(row.contains(Html.num(LedgerFixture.CAPS.get(i))), row);
    }
    assertEquals(12, json.path("releases").size());
    assertTrue(Files.size(out.resolve("epsilon_per_silo.png")) > 1000);
    assertTrue(Files.size(out.resolve("noise_per_release.png")) > 1000);
    assertFalse(html.contains("http://") || html.contains("https://") || html.contains("src=\"/"),
        "report.html must not load anything from outside");
    assertTrue(html.contains("src=\"data:image/png;base64,"));
    // With keys pinned and every log compared, the report does not claim those gaps.
    assertFalse(json.path("not_covered").toString().contains("Completeness not checked"));
  }

  @Test
  void report_editedEpsilon_exit1FailureAtTopNamingTheChecks() throws Exception {
    LedgerFixture f = new LedgerFixture(dir);
    f.editEpsilon(6, 0.5); // france's first round
    Path out = dir.resolve("report");
    Run r = report(f, out);
    assertEquals(1, r.exit(), r.out() + r.err());
    String html = Files.readString(out.resolve("report.html"));
    int banner = html.indexOf("LEDGER CHECK FAILED");
    assertTrue(banner > 0 && banner < html.indexOf("<table id=\"silos\">"), "the failure comes first");
    assertTrue(html.contains("class=\"banner failed\""));
    JsonNode json = new ObjectMapper().readTree(Files.readString(out.resolve("report.json")));
    assertFalse(json.path("intact").asBoolean());
    List<String> failed = new ArrayList<>();
    json.path("checks").forEach(c -> {
      if (!c.path("passed").asBoolean()) {
        failed.add(c.path("name").asText());
      }
    });
    assertTrue(failed.containsAll(List.of("hash chain", "coordinator countersignatures", "silo signatures and keys",
        "epsilon recomputed (both ways)")), failed.toString());
    assertFalse(failed.contains("other"), "every finding is filed under a named check: " + json.path("checks"));
    assertTrue(html.contains("link 6 (france, counter 2, round 1)"), "the finding names the link");
    assertTrue(r.out().contains("FAILED: "), r.out());
    // Without --enrolled, the report says what it could not check.
    assertTrue(json.path("not_covered").toString().contains("Completeness not checked for 3 of 3 silos"));
  }

  @Test
  void report_missingCoordinatorKey_exit2NamingTheFile() throws Exception {
    LedgerFixture f = new LedgerFixture(dir);
    Run r = run("audit", "report", "--ledger", f.ledger.toString(), "--coordinator-key",
        dir.resolve("nope.pub").toString(), "--out", dir.resolve("x").toString());
    assertEquals(2, r.exit(), r.out() + r.err());
    assertTrue(r.err().contains("nope.pub"), r.err());
  }

  @Test
  void verify_enrolledKeyContradictsSiloKey_exit2NamingTheSilo() throws Exception {
    LedgerFixture f = new LedgerFixture(dir);
    Run r = run("audit", "verify", "--ledger", f.ledger.toString(), "--coordinator-key", f.coordinatorKey.toString(),
        "--enrolled", f.enrolled.toString(), "--silo-key", "france=" + "00".repeat(32));
    assertEquals(2, r.exit(), r.out() + r.err());
    assertTrue(r.err().contains("silo 'france' is pinned to two different keys"), r.err());
  }

  @Test
  void verify_enrolledSiloLogLongerThanLedger_intactWithNoteOfUnreportedSpend() throws Exception {
    LedgerFixture f = new LedgerFixture(dir);
    List<String> lines = new ArrayList<>(Files.readAllLines(f.ledger));
    lines.remove(lines.size() - 1); // iberia's last round never reached the coordinator
    Files.write(f.ledger, lines);
    Run r = run("audit", "verify", "--ledger", f.ledger.toString(), "--coordinator-key", f.coordinatorKey.toString(),
        "--enrolled", f.enrolled.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("note: iberia counter 3"), r.out());
  }
}
