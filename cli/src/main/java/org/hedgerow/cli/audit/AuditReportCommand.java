package org.hedgerow.cli.audit;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hedgerow audit report}: the checks of {@code audit verify}, written for a compliance file —
 * {@code report.html} (self-contained), {@code report.json} and PNG plots.
 *
 * <p>Exit codes as {@code audit verify}: 0 intact, 1 findings (the report shows them, in red, first),
 * 2 bad input.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Write an audit report of a ledger: report.html (self-contained, opens offline), report.json and "
        + "PNG plots of epsilon per silo against its cap and of every release's noise. Exit code 0: intact; 1: "
        + "findings (shown in red at the top); 2: bad input.")
public final class AuditReportCommand implements Callable<Integer> {
  @Mixin LedgerEvidence evidence;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write the report into.")
  Path out;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    AuditReport r;
    try {
      r = AuditReportWriter.write(evidence, out);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter pw = spec.commandLine().getOut();
    pw.printf("wrote %s, %s and %d plot(s) to %s%n", AuditReportWriter.HTML_FILE, AuditReportWriter.JSON_FILE,
        r.releases().isEmpty() ? 0 : 2, out);
    pw.printf("ledger: %d links, head %s%n", r.verification().links(), r.head());
    r.silos().forEach(s -> pw.printf(Locale.ROOT, "  %-24s epsilon %.6f of cap %s (recomputed: %s)%n", s.holder(),
        s.reportedEpsilon(), Html.num(s.cap()), s.agreement()));
    if (r.intact()) {
      pw.println("intact: every check passed");
      return 0;
    }
    pw.printf("FAILED: %s%n", String.join(", ", r.failed().stream().map(c -> c.name() + " (" + c.findings().size()
        + ")").toList()));
    return 1;
  }
}
