package org.hedgerow.cli.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Writes an audit report into a directory: {@code report.html}, {@code report.json} and the PNG plots
 * ({@code epsilon_per_silo.png}, {@code noise_per_release.png}). Used by {@code hedgerow audit report}
 * and by {@code demo}/{@code simulate} after a DP run.
 */
public final class AuditReportWriter {
  public static final String HTML_FILE = "report.html";
  public static final String JSON_FILE = "report.json";

  private AuditReportWriter() {}

  /** Verifies {@code evidence} and writes its report into {@code dir} (created if missing). */
  public static AuditReport write(LedgerEvidence evidence, Path dir) throws IOException {
    return write(evidence, dir, null);
  }

  /**
   * As above; a non-null {@code warning} (a run's deterministic noise: its ε figures describe noise
   * anyone with the seed can remove) heads both files: a banner above everything in the HTML and a
   * {@code "warning"} key first in the JSON.
   */
  public static AuditReport write(LedgerEvidence evidence, Path dir, String warning) throws IOException {
    AuditReport r = AuditReport.of(evidence.load(), Instant.now());
    Files.createDirectories(dir);
    Map<String, String> plots = AuditReportPlots.write(r, dir);
    com.fasterxml.jackson.databind.node.ObjectNode json = r.toJson(plots);
    String html = AuditReportHtml.render(r, dir, plots);
    if (warning != null) {
      com.fasterxml.jackson.databind.node.ObjectNode headed = new ObjectMapper().createObjectNode().put("warning", warning);
      headed.setAll(json);
      json = headed;
      String h1 = "<h1>Privacy audit report</h1>";
      html = html.replaceFirst(java.util.regex.Pattern.quote(h1), java.util.regex.Matcher.quoteReplacement(h1
          + "\n<div id=\"deterministic-noise\" class=\"banner failed\">" + Html.esc(warning) + "</div>"));
    }
    Files.writeString(dir.resolve(JSON_FILE), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json)
        + "\n");
    Files.writeString(dir.resolve(HTML_FILE), html);
    return r;
  }
}
