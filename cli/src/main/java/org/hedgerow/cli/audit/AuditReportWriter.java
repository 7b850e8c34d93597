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
    AuditReport r = AuditReport.of(evidence.load(), Instant.now());
    Files.createDirectories(dir);
    Map<String, String> plots = AuditReportPlots.write(r, dir);
    Files.writeString(dir.resolve(JSON_FILE),
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r.toJson(plots)) + "\n");
    Files.writeString(dir.resolve(HTML_FILE), AuditReportHtml.render(r, dir, plots));
    return r;
  }
}
